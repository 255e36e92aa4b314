"""Test configuration: hypothesis profiles chosen by an environment variable.

``HYPOTHESIS_PROFILE`` picks a profile; without it, the built-in ``ci`` profile that hypothesis
selects itself under ``CI=true`` stays in force, and ``dev`` (quick) is used elsewhere.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=60)
settings.register_profile("thorough", max_examples=2000)

_profile = os.environ.get("HYPOTHESIS_PROFILE")
if _profile is not None:
    settings.load_profile(_profile)
elif not os.environ.get("CI"):
    settings.load_profile("dev")
