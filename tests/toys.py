"""A rule set of the tests' own, shared by the tests of every adapter that reads one.

A retaining status (a candidate stays an associate), an associate status COW codes 2, and a
name that is no identifier.
"""

from __future__ import annotations

import json

from sco_membership import RuleSet

TOY_TOML = """
name = "Toy Union (test)"
organisation = "Toy Union"
statuses = ["none", "associate", "candidate", "member"]
kinds = ["founding", "association", "candidacy", "admission", "withdrawal"]
retaining = ["candidate"]
organisation_wide = ["founding"]

[cow]
associate = 2
member = 1

[[transitions]]
kind = "founding"
from = ["none"]
to = "member"

[[transitions]]
kind = "association"
from = ["none"]
to = "associate"

[[transitions]]
kind = "candidacy"
from = ["none", "associate"]
to = "candidate"

[[transitions]]
kind = "admission"
from = ["candidate"]
to = "member"

[[transitions]]
kind = "withdrawal"
from = ["associate", "candidate", "member"]
to = "none"
"""
TOY = RuleSet.loads(TOY_TOML)
TOY_LOG = [
    {"states": ["DEU", "FRA"], "kind": "founding", "date": "2000-03-25"},
    {"state": "ITA", "kind": "association", "date": "2001-05-01"},
    {"state": "ITA", "kind": "candidacy", "date": "2003-03-01"},
    {"state": "ITA", "kind": "admission", "date": "2005-07-01"},
    {"state": "ESP", "kind": "association", "date": "2004-06"},
    {"state": "PRT", "kind": "association", "date": "2001-01-10"},
    {"state": "PRT", "kind": "candidacy", "date": "2006-05"},
]
TOY_JSONL = "".join(json.dumps(record) + "\n" for record in TOY_LOG)
