"""The SCO's enlargement waves: every day on which states became full members."""

from __future__ import annotations

from collections import defaultdict

import sco_membership as scm


def main() -> None:
    sco = scm.sco()
    waves: dict[str, list[str]] = defaultdict(list)
    for change in sco.changes("1900-01-01", "2100-12-31"):
        if (
            change.after.status is scm.Status.MEMBER
            and change.before.status is not scm.Status.MEMBER
        ):
            waves[change.event.date.iso].append(scm.country(change.state).name)
    for day, names in sorted(waves.items()):
        size = len(sco.members(day))
        print(f"{day}: {', '.join(sorted(names))} (members afterwards: {size})")


if __name__ == "__main__":
    main()
