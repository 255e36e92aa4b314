"""How the core's values show themselves: one-line reprs, and small HTML tables for Jupyter.

A repr is one line of at most :data:`WIDTH` characters, whatever the value holds (a ledger of
100,000 states, a note of a megabyte), and never its contents. ``_repr_html_``, which Jupyter
calls to show a value, returns a self-contained table, with no style sheet and no script:
every text is escaped (sources and notes hold ``<``, ``&`` and quotes), only a web address
(``http:`` or ``https:``) becomes a link, a table shows at most :data:`ROWS` rows and a cell at
most :data:`ITEMS` items, then says how many more there are.

The methods that use this module import it lazily: ``import sco_membership`` never pays for
``html``.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from .exceptions import _clipped

if TYPE_CHECKING:
    from .model import Claim, Event, Source

__all__ = [
    "ITEMS",
    "LINK",
    "ROWS",
    "TEXT",
    "WIDTH",
    "Markup",
    "brief",
    "claims_table",
    "escape",
    "event",
    "fields",
    "listed",
    "plural",
    "source",
    "sources",
    "table",
]

T = TypeVar("T")

#: The longest repr, in characters.
WIDTH = 200
#: The most rows a table shows.
ROWS = 50
#: The most items (state codes, sources) a cell shows.
ITEMS = 20
#: The longest text a cell shows, in characters (a reason or a note is a paragraph).
TEXT = 1000
#: The longest address made a link (a longer one is shown as text, cut).
LINK = 4096


class Markup(str):
    """Text that is HTML already: :func:`escape` passes it through unchanged."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """``value`` as HTML text: cut to :data:`TEXT` characters, escaped, quotes included
    (``None`` is empty); markup as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(_clipped("" if value is None else str(value), TEXT), quote=True))


def brief(kind: str, text: str) -> str:
    """A repr: ``<kind text>``, cut to :data:`WIDTH` characters in all."""
    return f"<{kind} {_clipped(text, WIDTH - len(kind) - 3)}>"


def plural(count: int, word: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def listed(
    values: Sequence[T],
    *,
    show: Callable[[T], object] = lambda value: value,
    separator: str = ", ",
    limit: int = ITEMS,
) -> Markup:
    """The first ``limit`` values, each shown (as itself by default) and escaped, joined, then
    ``… and K more``: no value past ``limit`` is shown."""
    shown = [escape(show(value)) for value in values[:limit]]
    if len(values) > limit:
        shown.append(Markup(f"… and {len(values) - limit:,} more"))
    return Markup(separator.join(shown))


def source(found: Source) -> Markup:
    """A source: its title, a link when its address is a web address, then who published it
    and when. Any other address (``javascript:``, a file) is shown as text, never followed."""
    title = escape(found.title)
    url = None if found.url is None else found.url.strip()
    if url is not None and url.lower().startswith(("https://", "http://")) and len(url) <= LINK:
        title = Markup(f'<a href="{html.escape(url, quote=True)}">{title}</a>')
    elif url is not None:
        title = Markup(f"{title} &lt;{escape(url)}&gt;")
    published = None if found.published is None else found.published.iso
    who = ", ".join(part for part in (found.publisher, published) if part is not None)
    return Markup(f"{title} ({escape(who)})") if who else title


def event(found: Event) -> str:
    """An event in words, for a cell: ``2017-06-09 membership granted, Astana``."""
    place = f", {found.place}" if found.place else ""
    return f"{found.date.iso} {found.kind.label}{place}"


def sources(found: Sequence[Source]) -> Markup:
    """Sources, one a line, at most :data:`ITEMS` of them."""
    return listed(found, show=source, separator="<br>")


def table(
    rows: Iterable[Sequence[object]],
    *,
    count: int,
    head: Sequence[str] = (),
    caption: object = None,
    limit: int = ROWS,
) -> Markup:
    """A table of the first ``limit`` of ``count`` rows (each a sequence of cells, escaped
    unless :class:`Markup`), then a row saying how many more there are. ``rows`` may be lazy:
    no row past ``limit`` is made."""
    parts = ["<table>"]
    if caption is not None:
        parts.append(f"<caption>{escape(_clipped(str(caption), WIDTH))}</caption>")
    if head:
        parts.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head))
        parts.append("</tr></thead>")
    parts.append("<tbody>")
    for row in itertools.islice(rows, limit):
        parts.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>")
    if count > limit:
        span = f' colspan="{len(head)}"' if len(head) > 1 else ""
        parts.append(f"<tr><td{span}>… and {count - limit:,} more</td></tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def fields(pairs: Iterable[tuple[str, object]], *, caption: object = None) -> Markup:
    """A two-column table, a name and a value a row (each escaped unless :class:`Markup`);
    a pair whose value is ``None`` is left out."""
    parts = ["<table>"]
    if caption is not None:
        parts.append(f"<caption>{escape(_clipped(str(caption), WIDTH))}</caption>")
    parts.append("<tbody>")
    parts += [
        f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>"
        for name, value in pairs
        if value is not None
    ]
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def claims_table(claims: Sequence[Claim], *, caption: str = "claims") -> Markup:
    """Claims, one a row: the verdict, what and when the source says, the source, its words
    and the record's reason."""
    head = ("verdict", "says", "date", "source", "quote", "reason")
    rows = (
        (c.verdict.value, c.says.label, c.date.iso, source(c.source), c.quote, c.reason)
        for c in claims
    )
    return table(rows, count=len(claims), head=head, caption=caption)
