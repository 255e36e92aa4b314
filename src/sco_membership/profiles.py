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

from .exceptions import RuleSetError
from .model import Stage, Standing, Status
from .rules import RuleSet

__all__ = ["Profile", "chosen", "default_profile", "default_rules", "profile_of", "register"]


class Profile:
    """An organisation's conventions beyond its rules: colours, legend, summits.

    ``colours`` and ``hatches`` give the chart's fill of a status and hatch of a stage;
    ``legend`` orders the chart's legend (the rule set's ``statuses`` when empty); ``labels``
    words a standing's legend entry where its plain label would mislead; ``summit`` is a
    regular expression that an event's ``place`` matches when the event happened at a summit.
    ``cow`` is how the Correlates of War IGO data code the organisation, where they depart
    from the rule set's own COW codes: the codes COW gives each status (a status left out is
    coded 0, as COW codes it), and whether COW counts the organisation's predecessor's years
    as its own (``cow_predecessor``). ``None``: COW codes it as the rule set does.
    (A plain slotted class, not an attrs one: it is made at import, and one attrs class fewer
    keeps ``import sco_membership`` quicker.)
    """

    __slots__ = (
        "colours",
        "cow",
        "cow_predecessor",
        "hatches",
        "labels",
        "legend",
        "rules",
        "summit",
    )
    rules: RuleSet
    colours: Mapping[Status, str]
    hatches: Mapping[Stage, str]
    legend: tuple[Status, ...]
    labels: Mapping[Standing, str]
    summit: str | None
    cow: Mapping[Status, int] | None
    cow_predecessor: bool

    def __init__(
        self,
        rules: RuleSet,
        *,
        colours: Mapping[Status, str] | None = None,
        hatches: Mapping[Stage, str] | None = None,
        legend: tuple[Status, ...] = (),
        labels: Mapping[Standing, str] | None = None,
        summit: str | None = None,
        cow: Mapping[Status, int] | None = None,
        cow_predecessor: bool = False,
    ) -> None:
        self.rules = rules
        self.colours = {} if colours is None else dict(colours)
        self.hatches = {} if hatches is None else dict(hatches)
        self.legend = tuple(legend)
        self.labels = {} if labels is None else dict(labels)
        self.summit = summit
        self.cow = None if cow is None else dict(cow)
        self.cow_predecessor = cow_predecessor

    def __repr__(self) -> str:
        return f"Profile({self.rules.name!r})"


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
