"""The documentation site: the CLI page is generated, every page is in the nav, the site builds.

The examples in the pages themselves run as doctests (``--doctest-glob=*.md``); these tests
keep the site around them whole: ``docs/cli.md`` matches the parser, no page is left out of
``mkdocs.yml``'s nav, and ``mkdocs build --strict`` (which fails on a broken link, a missing
page or an unresolved reference) succeeds.
"""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import subcommands
from tool_loader import load_tool as load_script

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
TOOL = ROOT / "tools" / "make_cli_doc.py"
CLI_DOC = DOCS / "cli.md"

needs_tool = pytest.mark.skipif(not TOOL.exists(), reason="tools/ is not shipped")
needs_config = pytest.mark.skipif(not CONFIG.exists(), reason="mkdocs.yml is not shipped")


def load_tool() -> ModuleType:
    return load_script(TOOL)


@functools.cache
def cached_tool() -> ModuleType:
    return load_tool()


# --- docs/cli.md is generated from the parser --------------------------------------------------


@needs_tool
def test_the_cli_page_is_up_to_date() -> None:
    text = load_tool().render()
    assert CLI_DOC.read_text("utf-8") == text, "docs/cli.md is stale: run tools/make_cli_doc.py"
    # The page is doctested like every page: it must hold no Python prompt.
    assert not any(line.lstrip().startswith(">>>") for line in text.splitlines())


@needs_tool
@pytest.mark.parametrize("name", list(subcommands()))
def test_the_cli_page_shows_every_command_its_arguments_and_examples(name: str) -> None:
    tool = cached_tool()
    text = tool.render()
    parser = subcommands()[name]
    assert f"### `sco-membership {name}`" in text
    assert f"[`{name}`](#sco-membership-{name})" in text
    section = text.split(f"### `sco-membership {name}`", 1)[1].split("\n### ", 1)[0]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert f"`{tool._cell(tool._form(action))}`" in section, (name, action.dest)
        if action.help:
            assert tool._cell(action.help)[1:] in section, (name, action.help)
    # Every example of the epilog is shown as a shell line.
    for line in (parser.epilog or "").splitlines()[1:]:
        if line.strip():
            assert f"\n{line.strip()}\n" in section


@needs_tool
def test_the_usage_lines_match_what_argparse_accepts() -> None:
    """A usage line lists every argument as typed; argparse parses its required part."""
    tool = load_tool()
    export = subcommands()["export"]
    usage = tool._usage("sco-membership export", export)
    assert "--format {panel-csv,intervals-csv,panel-dta,intervals-dta,jsonl}" in usage
    assert "[--rule RULE]" in usage
    assert "[--out FILE]" in usage
    required = [word for word in usage.split() if word == "--format"]
    assert required == ["--format"]
    assert export.parse_args(["--format", "jsonl"]).format == "jsonl"
    assert max(len(line) for line in usage.splitlines()) <= tool._WIDTH


@needs_tool
def test_check_fails_on_a_stale_page_and_passes_on_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = load_tool()
    page = tmp_path / "cli.md"
    monkeypatch.setattr(tool, "DOC", page)
    assert tool.main(["--check"]) == 1  # missing
    page.write_text("# stale\n", encoding="utf-8")
    assert tool.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert tool.main([]) == 0
    assert page.read_bytes() == tool.render().encode("utf-8")
    assert tool.main(["--check"]) == 0


words = st.text(alphabet="abcdefgh[]-{},.", min_size=1, max_size=30)


@needs_tool
@given(st.lists(words, min_size=1, max_size=30), st.integers(min_value=0, max_value=30))
def test_wrapping_keeps_every_word_and_the_width(parts: list[str], indent: int) -> None:
    text = cached_tool()._wrap(parts, indent=indent, width=40)
    assert text.split() == parts
    for line in text.splitlines()[1:]:
        assert line.startswith(" " * indent)
        # A line is over the width only when it holds one word that alone is too long.
        assert len(line) <= 40 or len(line.split()) == 1


# --- mkdocs.yml -------------------------------------------------------------------------------


def nav_pages(config: str) -> list[str]:
    """The pages named in the ``nav:`` section of mkdocs.yml (a YAML-free reading)."""
    nav = ("\n" + config).split("\nnav:", 1)[1]
    nav = re.split(r"\n\S", nav, maxsplit=1)[0]  # up to the next top-level key
    return re.findall(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w./-]+\.md)\s*$", nav, flags=re.MULTILINE)


def test_the_nav_reader_reads_titled_and_untitled_entries() -> None:
    config = "nav:\n  - Home: index.md\n  - Guides:\n      - a/b.md\n  - C: c.md\nx: 1\n"
    assert nav_pages(config) == ["index.md", "a/b.md", "c.md"]


@needs_config
def test_every_page_is_in_the_nav() -> None:
    listed = nav_pages(CONFIG.read_text("utf-8"))
    assert len(listed) == len(set(listed)), "a page is listed twice"
    pages = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
    missing = [page for page in pages if page not in listed]
    assert not missing, f"pages not in mkdocs.yml's nav: {missing}"


@needs_config
@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    # Not --quiet: it silences the warnings that --strict counts, so nothing would fail.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(CONFIG)]
    done = subprocess.run(
        [*command, "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,  # the build takes a few seconds; a hang must not stall the suite
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").exists()
    api = (site / "api" / "index.html").read_text("utf-8")
    assert 'id="sco_membership.ledger.Ledger"' in api  # the docstrings were rendered
    assert ":class:`" not in api  # Sphinx roles became links (tools/griffe_sphinx_roles.py)
    assert "language-pycon" in api  # doctests shown as code, not as nested quotes
    assert "<blockquote>\n<blockquote>" not in api
