"""Test configuration: hypothesis profiles chosen by an environment variable.

``HYPOTHESIS_PROFILE`` picks a profile; without it, the built-in ``ci`` profile that hypothesis
selects itself under ``CI=true`` stays in force, and ``dev`` (quick) is used elsewhere.
"""

from __future__ import annotations

import os

from hypothesis import settings

# No deadline: a test must never fail on timing (a cold import or a busy machine is not a bug).
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)

_profile = os.environ.get("HYPOTHESIS_PROFILE")
if _profile is not None:
    settings.load_profile(_profile)
elif os.environ.get("CI"):
    settings.load_profile("ci")  # built in: derandomised, no deadline, no example database
else:
    settings.load_profile("dev")
