"""Views of a ledger for other tools: country-year panels (COW layout), pandas frames, the
timeline chart, and the rule set drawn as a diagram.

Each adapter depends on the core only; heavy dependencies (pandas, matplotlib) are imported
on first use.
"""
