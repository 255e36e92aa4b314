"""A ledger driven by random valid and invalid events, checked against a naive model.

The machine is the public :class:`sco_membership.strategies.LedgerMachine` (valid and invalid
appends, organisation-wide decisions, corrections and retractions, reloads), run under the SCO
rule set, with the SCO's own named queries checked on top.
"""

from __future__ import annotations

import pytest
from hypothesis.stateful import invariant

from sco_membership.model import Status
from sco_membership.organisations import SCO_RULES
from sco_membership.strategies import LedgerMachine

pytestmark = pytest.mark.slow


class SCOMachine(LedgerMachine):
    """The public machine under the SCO rule set, plus the SCO's named roster queries."""

    rule_set = SCO_RULES

    @invariant()
    def named_queries_agree_with_the_model(self) -> None:
        for day in self.probes():
            steps = self.expected_on(day)
            held = {state: step.held for state, step in steps.items()}
            acceding = {s for s, step in steps.items() if step.standing.status is Status.ACCEDING}
            assert self.ledger.members(day) == {s for s, h in held.items() if h is Status.MEMBER}
            assert self.ledger.with_status("observer", day) == {
                s for s, h in held.items() if h is Status.OBSERVER
            }
            assert self.ledger.with_status("acceding", day) == acceding


TestLedger = SCOMachine.TestCase
