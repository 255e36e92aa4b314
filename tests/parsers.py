"""The command line's parser, read by the tests that cover every command or every option."""

from __future__ import annotations

import argparse

from sco_membership.cli import commands


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's name with its parser, in the order the parser declares them."""
    for action in commands._parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the CLI has no subcommands")


def option_strings() -> list[str]:
    """Every option of the command line and of its subcommands, each once."""
    parsers = [commands._parser(), *subcommands().values()]
    found = (
        name for parser in parsers for action in parser._actions for name in action.option_strings
    )
    return list(dict.fromkeys(found))
