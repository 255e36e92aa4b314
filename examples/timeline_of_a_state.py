"""Every change of one state's SCO status, with its sources.

python examples/timeline_of_a_state.py India
"""

from __future__ import annotations

import sys

import sco_membership as scm


def main(state: str) -> None:
    history = scm.sco().history(state)
    print(f"{scm.country(history.state).name} in the SCO")
    for event in history.events:
        print(
            f"  {event.date.iso:<10}  {event.kind.label}"
            + (f" ({event.place})" if event.place else "")
        )
        for source in event.sources:
            print(f"              source: {source}")
    print(f"  now: {history.current.describe()}")


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "India")
    except scm.MembershipError as error:  # a state the library does not know: one line
        print(f"timeline_of_a_state.py: error: {error}", file=sys.stderr)
        sys.exit(2)
