"""What an organisation adds to its rule set, and which rule set is the default.

The engine knows no organisation. An organisation (see :mod:`sco_membership.organisations`)
registers a :class:`Profile` for its rule set: how its chart is drawn and how its summits are
named. Adapters ask :func:`profile_of` for a ledger's rule set and fall back to a plain look
when none is registered. The package registers the SCO's profile as the default when it is
imported, so ``Ledger.from_records(records)`` without ``rules=`` reads the SCO's vocabulary.

Thread contract: registering takes a lock; reading needs none (a dict lookup, or the read of
one attribute that a single assignment sets).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import attrs

from .exceptions import RuleSetError
from .model import Stage, Standing, Status
from .rules import RuleSet

__all__ = ["Profile", "chosen", "default_profile", "default_rules", "profile_of", "register"]


@attrs.frozen
class Profile:
    """An organisation's conventions beyond its rules: colours, legend, summits.

    ``colours`` and ``hatches`` give the chart's fill of a status and hatch of a stage;
    ``legend`` orders the chart's legend (the rule set's ``statuses`` when empty); ``labels``
    words a standing's legend entry where its plain label would mislead; ``summit`` is a
    regular expression that an event's ``place`` matches when the event happened at a summit.
    """

    rules: RuleSet
    colours: Mapping[Status, str] = attrs.field(factory=dict)
    hatches: Mapping[Stage, str] = attrs.field(factory=dict)
    legend: tuple[Status, ...] = ()
    labels: Mapping[Standing, str] = attrs.field(factory=dict)
    summit: str | None = None


_lock = threading.Lock()
_profiles: dict[RuleSet, Profile] = {}
_default: list[Profile] = []  # the default profile, once registered: one atomic assignment


def register(profile: Profile, *, default: bool = False) -> None:
    """Make ``profile`` the one of its rule set (and, with ``default``, the default rules)."""
    with _lock:
        _profiles[profile.rules] = profile
        if default:
            _default[:] = [profile]


def profile_of(rules: RuleSet) -> Profile | None:
    """The registered profile of ``rules`` (an equal rule set read from a file counts)."""
    return _profiles.get(rules)


def default_profile() -> Profile | None:
    """The default organisation's profile: the SCO's once the package is imported."""
    return _default[0] if _default else None


def default_rules() -> RuleSet:
    """The rule set used where none is given: the SCO's once the package is imported."""
    if not _default:  # pragma: no cover  (importing sco_membership registers one)
        raise RuleSetError("?", "no default rule set is registered: give rules=")
    return _default[0].rules


def chosen(rules: RuleSet | None) -> RuleSet:
    """``rules``, or the default rule set where none is given (``None``)."""
    return default_rules() if rules is None else rules
