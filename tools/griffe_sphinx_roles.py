"""A griffe extension for the API reference: docstrings' reST habits, shown as Markdown.

The docstrings cross-reference with Sphinx roles (``:class:`History```, ``:meth:`~x.y.close```),
which mkdocstrings would print as they are. This extension, named in ``mkdocs.yml``, rewrites
each role into an autorefs link to the object it names, resolved in the scope of the docstring's
object, and marked optional: a name that the site does not document (a private helper) stays
plain code instead of failing the strict build. A name that does not resolve at all is plain
code too. Doctest examples (``>>>`` lines and their output, up to a blank line), which Markdown
would show as nested quotes, become ``pycon`` code blocks. It changes only what the site shows,
never the source.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|exc|data|obj|const):`(~?)([\w.]+)`")


def _target(obj: griffe.Object, name: str) -> str | None:
    """The full path of ``name`` as written in ``obj``'s docstring, or None."""
    if name.startswith("sco_membership."):
        return name
    head, _, rest = name.partition(".")
    try:
        path = obj.resolve(head)
    except griffe.NameResolutionError:
        return None
    return f"{path}.{rest}" if rest else path


def _link(obj: griffe.Object, match: re.Match[str]) -> str:
    short, name = match.groups()
    title = name.rsplit(".", 1)[-1] if short else name
    path = _target(obj, name)
    if path is None:
        return f"`{title}`"
    return (
        f'<autoref identifier="{html.escape(path)}" optional>'
        f"<code>{html.escape(title)}</code></autoref>"
    )


def _doctests(text: str) -> str:
    """Fence each doctest example: from a ``>>>`` line to the next blank line."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if not inside and line.lstrip().startswith(">>>"):
            out += ["", "```pycon"]
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring's Sphinx roles and doctests once the package is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.is_alias:  # an imported name: its docstring is its target's, rewritten there
            return
        docstring = obj.docstring
        if docstring is None:
            return
        text = _ROLE.sub(lambda m: _link(obj, m), docstring.value)
        docstring.value = _doctests(text) if ">>>" in text else text
