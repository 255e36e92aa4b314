"""Generate ``docs/cli.md`` from the command line's own parser, so the two cannot drift apart.

The page gives the command's own options (those given before a subcommand), then, for every
subcommand of ``sco-membership``, its description, its usage, each argument with its help,
choices and default, and its examples (the parser's epilog). Everything
is read from ``sco_membership.cli.commands._parser()`` at run time; nothing is written by
hand. Run from anywhere::

    python tools/make_cli_doc.py            # rewrite docs/cli.md
    python tools/make_cli_doc.py --check    # exit 1 if docs/cli.md is stale

The usage lines are built here from the arguments, not by argparse's formatter, whose line
wrapping depends on the terminal's width and on the Python version: the same parser always gives
the same bytes (UTF-8, LF line ends). The test suite (``tests/test_docs.py``) imports
:func:`render` and compares it with the file.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

from generated import write_or_check

from sco_membership.cli import commands as cli

REPO_ROOT = Path(__file__).resolve().parent.parent
DOC = REPO_ROOT / "docs" / "cli.md"
_WIDTH = 88  # usage lines wrap here, whatever the terminal


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    # argparse has no public accessor for a parser's arguments; _actions has been there since
    # the module was added to the standard library.
    return list(parser._actions)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in _actions(parser):
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _metavar(action: argparse.Action) -> str:
    if isinstance(action.metavar, str):
        return action.metavar
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "{" + ",".join(str(choice) for choice in action.choices) + "}"
    return action.dest if not action.option_strings else action.dest.upper()


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def _form(action: argparse.Action) -> str:
    """The argument as it is typed: ``--out FILE``, ``--json``, ``state``."""
    name = _metavar(action)
    if not action.option_strings:
        if action.nargs == "?":
            return f"[{name}]"
        if action.nargs == "*":
            return f"[{name} ...]"
        if action.nargs == "+":
            return f"{name} [{name} ...]"
        return name
    option = action.option_strings[0]
    return f"{option} {name}" if _takes_value(action) else option


def _usage(prog: str, parser: argparse.ArgumentParser) -> str:
    parts = [prog]
    positionals = []
    for action in _actions(parser):
        if action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._SubParsersAction):
            positionals.append(f"{_metavar(action)} ...")
        elif not action.option_strings:
            positionals.append(_form(action))
        elif action.required:
            parts.append(_form(action))
        else:
            parts.append(f"[{_form(action)}]")
    return _wrap(parts + positionals, indent=len(prog) + 1)


def _wrap(parts: list[str], *, indent: int, width: int = _WIDTH) -> str:
    """Words joined into lines of at most ``width`` (a word is never split), then indented."""
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 1 + len(part) > width and lines[-1].strip():
            lines.append(" " * indent + part)
        else:
            lines[-1] += " " + part
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _meaning(action: argparse.Action) -> str:
    words = [action.help or ""]
    if action.choices is not None:
        words.append("one of " + ", ".join(f"`{choice}`" for choice in action.choices))
    if action.required and action.option_strings:
        words.append("required")
    if isinstance(action, argparse._AppendAction) and "repeatable" not in words[0]:
        words.append("repeatable")
    default = action.default
    if _takes_value(action) and default not in (None, argparse.SUPPRESS):
        words.append(f"default `{default}`")
    text = "; ".join(word for word in words if word)
    return _cell(text[:1].upper() + text[1:] + ("." if text and not text.endswith(".") else ""))


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    shown = [
        action
        for action in _actions(parser)
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        and action.help != argparse.SUPPRESS
    ]
    shown.sort(key=lambda action: bool(action.option_strings))  # positionals first, stable
    rows = [f"| `{_cell(_form(action))}` | {_meaning(action)} |" for action in shown]
    if not rows:
        return []
    return ["| argument | meaning |", "| --- | --- |", *rows]


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """The main parser's own options (those given before the command), as a table."""
    rows = _arguments(parser)
    return ["", *rows] if rows else []


def _epilog(epilog: str | None) -> list[str]:
    """The epilog: an ``examples:`` paragraph as a shell block, any other paragraph as text."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", (epilog or "").strip()):
        if not paragraph:
            continue
        head, _, rest = paragraph.partition("\n")
        if head.strip().rstrip(":").lower() == "examples":
            examples = inspect.cleandoc(rest).splitlines()
            lines += ["", "Examples:", "", "```sh", *examples, "```"]
        else:
            lines += ["", " ".join(line.strip() for line in paragraph.splitlines())]
    return lines


def _command(prog: str, parser: argparse.ArgumentParser, level: int) -> list[str]:
    lines = ["", f"{'#' * level} `{prog}`", ""]
    if parser.description:
        lines += [parser.description, ""]
    lines += ["```text", _usage(prog, parser), "```"]
    arguments = _arguments(parser)
    if arguments:
        lines += ["", *arguments]
    lines += _epilog(parser.epilog)
    for name, subparser in _subcommands(parser).items():
        lines += _command(f"{prog} {name}", subparser, level + 1)
    return lines


def _intro() -> list[str]:
    """The CLI module's docstring, with reST literals made Markdown code."""
    doc = inspect.cleandoc(cli.__doc__ or "")
    body = doc.partition("\n\n")[2]
    return [re.sub(r"``([^`]+)``", r"`\1`", body)] if body else []


def render() -> str:
    """The text of ``docs/cli.md`` for the parser of ``sco_membership.cli`` as it is now."""
    parser = cli._parser()
    prog = parser.prog
    commands = _subcommands(parser)
    lines = [
        "# The command line",
        "",
        "<!-- Generated by tools/make_cli_doc.py from sco_membership.cli.commands's argument"
        " parser; do not edit by hand: run `python tools/make_cli_doc.py`. -->",
        "",
        f"Installing the package installs the `{prog}` command (`python -m sco_membership` runs"
        " the same). " + (parser.description or ""),
        "",
        *_intro(),
        "",
        "```text",
        _usage(prog, parser),
        "```",
        *_options(parser),
        *_epilog(parser.epilog),
        "",
        "## Commands",
        "",
        f"Each command prints its own help with `{prog} COMMAND --help`.",
        "",
        "| command | what it does |",
        "| --- | --- |",
    ]
    lines += [
        f"| [`{name}`](#{prog}-{name}) | {_cell(sub.description or '')} |"
        for name, sub in commands.items()
    ]
    for name, subparser in commands.items():
        lines += _command(f"{prog} {name}", subparser, 3)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md is stale")
    args = parser.parse_args(argv)
    return write_or_check(DOC, render(), check=args.check, command="python tools/make_cli_doc.py")


if __name__ == "__main__":
    sys.exit(main())
