"""The Correlates of War (COW) IGO data, version 3: the state-year table and the IGO list, read.

The state-year table has one row per state of COW's state system in each year (``ccode``,
``year``, ``state``), then one column per organisation (534, named as igoR and COW's CSV name
them: lower-case short names, ``sco``, ``asean``), holding COW's codes: 0 no membership, 1 full
member, 2 associate, 3 observer, -9 missing, -1 the organisation did not exist. The IGO list
(from the IGO-year table) names each organisation. The files are the user's to supply (see
docs/cow.md): CSV (plain or ``.gz``) is read with the standard library; Stata ``.dta`` through
pandas (the ``[pandas]`` extra) and R ``.rda``/``.RData`` through pyreadr (the ``[rda]`` extra),
each imported only when such a file is read.

Codes are kept compactly (one byte per state-year and organisation): the full table, 15,557
rows by 534 organisations, holds about 8 MB.
"""

from __future__ import annotations

import array
import csv
import gzip
import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .._extras import require
from ..exceptions import FileError, MalformedDataError, _shown
from .files import read_text

__all__ = [
    "COW_CODES",
    "CowIgo",
    "CowStateYear",
    "read_igo_list",
    "read_state_year",
    "state_year_from_rows",
]

#: COW's codes and what they mean (codebook v3).
COW_CODES: Mapping[int, str] = {
    0: "no membership",
    1: "full membership",
    2: "associate membership",
    3: "observer",
    -9: "missing data",
    -1: "IGO not in existence",
}
# The columns of a state-year table that are not organisations.
_KEYS = ("ccode", "year", "state")


@attrs.frozen
class CowStateYear:
    """COW's state-year table: for each row a state (``ccode``) and a ``year``, and for each
    organisation (``orgs``, lower-case) its code in that row.

    A state outside COW's state system in a year has no row: :meth:`code` gives ``None``.
    """

    ccodes: array.array[int] = attrs.field(repr=False)
    years: array.array[int] = attrs.field(repr=False)
    names: Mapping[int, str] = attrs.field(repr=False)
    columns: Mapping[str, array.array[int]] = attrs.field(repr=False)
    _index: dict[tuple[int, int], int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index = {
            (c, y): row for row, (c, y) in enumerate(zip(self.ccodes, self.years, strict=True))
        }
        if len(index) != len(self.ccodes):
            raise MalformedDataError("a state-year is given twice in the COW table")
        object.__setattr__(self, "_index", index)

    @property
    def orgs(self) -> tuple[str, ...]:
        """The organisations' column names, as the table has them (lower-case)."""
        return tuple(self.columns)

    @property
    def first_year(self) -> int:
        return min(self.years)

    @property
    def last_year(self) -> int:
        return max(self.years)

    def column(self, org: str) -> array.array[int]:
        """One organisation's codes, row by row; an unknown name raises ``LookupError`` with
        the close names."""
        key = org.strip().lower() if isinstance(org, str) else org
        found = self.columns.get(key) if isinstance(key, str) else None
        if found is None:
            import difflib  # lazy: only a wrong name needs suggestions

            close = difflib.get_close_matches(str(key), list(self.columns), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise MalformedDataError(f"the COW table has no organisation {_shown(org)}{hint}")
        return found

    def code(self, org: str, ccode: int, year: int) -> int | None:
        """COW's code of ``org`` for one state-year, or ``None`` (not a system member then)."""
        row = self._index.get((ccode, year))
        return None if row is None else self.column(org)[row]

    def rows(self, org: str) -> Iterator[tuple[int, int, int]]:
        """``(ccode, year, code)`` of every row, in the table's order."""
        return zip(self.ccodes, self.years, self.column(org), strict=True)

    def ccodes_in(self, year: int) -> list[int]:
        """The COW numbers of the states with a row in ``year``."""
        return sorted(c for c, y in zip(self.ccodes, self.years, strict=True) if y == year)

    def __len__(self) -> int:
        return len(self.ccodes)


@attrs.frozen
class CowIgo:
    """One organisation of COW's IGO list."""

    ioname: str
    orgname: str
    longorgname: str
    start: int | None
    end: int | None

    @property
    def column(self) -> str:
        """The organisation's column in the state-year table (lower-case ``ioname``)."""
        return self.ioname.lower()


def _number(value: object, what: str, where: str) -> int:
    """A whole number from a cell: text, an int, or a float that is whole (R and Stata keep
    numbers as doubles)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise MalformedDataError(f"{where}: {what} is not a whole number: {_shown(value)}")
    return int(number)


def state_year_from_rows(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, name: str = "<rows>"
) -> CowStateYear:
    """A state-year table from a header and rows of values (the shape of COW's CSV)."""
    columns = [str(column).strip().lower() for column in header]
    missing = [key for key in _KEYS if key not in columns]
    if missing:
        raise MalformedDataError(
            f"not a COW state-year table: no {', '.join(missing)} column", file=name
        )
    at = {key: columns.index(key) for key in _KEYS}
    orgs = [(k, column) for k, column in enumerate(columns) if column not in _KEYS]
    ccodes, years = array.array("h"), array.array("h")
    codes = {column: array.array("b") for _, column in orgs}
    names: dict[int, str] = {}
    for number, row in enumerate(rows, start=2):
        where = f"{name}, line {number}"
        if len(row) != len(columns):
            raise MalformedDataError(f"{where}: {len(row)} fields, the header has {len(columns)}")
        ccode = _number(row[at["ccode"]], "ccode", where)
        ccodes.append(ccode)
        years.append(_number(row[at["year"]], "year", where))
        names.setdefault(ccode, str(row[at["state"]]))
        for k, column in orgs:
            value = _number(row[k], column, where)
            if value not in COW_CODES:
                raise MalformedDataError(f"{where}: {column} = {value} is no COW code")
            codes[column].append(value)
    return CowStateYear(ccodes, years, names, codes)


def _csv_text(path: str | os.PathLike[str]) -> str:
    name = os.fsdecode(path)
    if not name.lower().endswith(".gz"):
        return read_text(path)
    try:
        with gzip.open(name, "rt", encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None


def _frame(path: str | os.PathLike[str]) -> Any:
    """A pandas DataFrame of a ``.dta`` or ``.rda`` file."""
    name = os.fsdecode(path)
    lower = name.lower()
    if lower.endswith(".dta"):
        pandas = require("pandas", "pandas", "reading a Stata file")
        try:
            return pandas.read_stata(name, convert_categoricals=False)
        except OSError as exc:
            raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None
    pyreadr = require("pyreadr", "rda", "reading an R data file")
    try:
        found = pyreadr.read_r(name)
    except (
        OSError,
        pyreadr.custom_errors.PyreadrError,
        pyreadr.custom_errors.LibrdataError,
    ) as exc:
        raise FileError(name, f"not an R data file pyreadr can read ({exc})") from None
    if len(found) != 1:
        raise MalformedDataError(
            f"expected one table in the R file, found {len(found)}", file=name
        )
    return next(iter(found.values()))


def _table(path: str | os.PathLike[str]) -> tuple[list[str], Iterable[Sequence[object]]]:
    """The header and rows of a CSV, Stata or R file."""
    lower = os.fsdecode(path).lower()
    if lower.endswith((".dta", ".rda", ".rdata")):
        frame = _frame(path)
        return [str(c) for c in frame.columns], frame.itertuples(index=False, name=None)
    reader = csv.reader(io.StringIO(_csv_text(path)))
    header = next(reader, None)
    if header is None:
        raise MalformedDataError("the file is empty", file=os.fsdecode(path))
    return header, reader


def read_state_year(path: str | os.PathLike[str]) -> CowStateYear:
    """COW's state-year table from a file: ``.csv`` (or ``.csv.gz``), ``.dta`` or ``.rda``.

    >>> table = read_state_year("tests/data/cow/state_year_extract.csv")
    >>> table.orgs, table.code("sco", 750, 2005), table.code("sco", 365, 1996)
    (('asean', 'sco'), 0, 1)
    """
    header, rows = _table(path)
    return state_year_from_rows(header, rows, name=os.fsdecode(path))


def read_igo_list(path: str | os.PathLike[str]) -> tuple[CowIgo, ...]:
    """COW's organisations from its IGO-year table (or any table with ``ioname``, ``orgname``,
    ``longorgname``, ``sdate`` and ``deaddate`` columns): one entry per organisation."""
    name = os.fsdecode(path)
    header, rows = _table(path)
    columns = [column.strip().lower() for column in header]
    wanted = ("ioname", "orgname", "longorgname", "sdate", "deaddate")
    missing = [key for key in wanted if key not in columns]
    if missing:
        raise MalformedDataError(f"not a COW IGO table: no {', '.join(missing)} column", file=name)
    at = [columns.index(key) for key in wanted]
    found: dict[str, CowIgo] = {}
    for row in rows:
        ioname, orgname, longname, start, end = (row[k] for k in at)
        if str(ioname) in found:
            continue

        def year(value: object) -> int | None:
            text = str(value).strip()
            if text in ("", "nan", "NA", "<NA>", "None"):
                return None
            return int(float(text))

        found[str(ioname)] = CowIgo(
            str(ioname), str(orgname), str(longname), year(start), year(end)
        )
    return tuple(sorted(found.values(), key=lambda igo: igo.ioname.lower()))
