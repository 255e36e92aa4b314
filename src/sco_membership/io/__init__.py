"""Formats: the plain-dict record, JSON Lines logs, rule-set files, and log validation.

Each module reads or writes one format on top of the core; none holds rules of its own.
"""
