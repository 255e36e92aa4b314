"""How long was India an observer before it became a full member?"""

from __future__ import annotations

import sco_membership as scm


def main() -> None:
    sco = scm.sco()
    joined = sco.status("IND", "2100-01-01").since
    assert joined is not None
    span = sco.duration("IND", scm.Status.OBSERVER, until=joined.first_day)
    first = sco.history("IND").timeline()[0][0]
    print(
        f"India was an SCO observer from {first:%d %B %Y} until it became a member on"
        f" {joined.first_day:%d %B %Y}: {span.years} years, {span.months} months, {span.days} days"
        " (including the accession process, during which it stayed an observer)."
    )


if __name__ == "__main__":
    main()
