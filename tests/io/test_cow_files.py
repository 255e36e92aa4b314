"""Reading COW's IGO data: the state-year table (CSV, gzip, Stata) and the IGO list."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_membership.exceptions import FileError, MalformedDataError
from sco_membership.io.cow import (
    COW_CODES,
    read_igo_list,
    read_state_year,
    state_year_from_rows,
)

DATA = Path(__file__).parents[1] / "data" / "cow"
EXTRACT = DATA / "state_year_extract.csv"


def test_the_extract_reads_with_every_code_in_place() -> None:
    table = read_state_year(EXTRACT)
    assert table.orgs == ("asean", "sco")
    assert (len(table), table.first_year, table.last_year) == (9015, 1960, 2014)
    assert table.code("sco", 710, 1996) == 1  # China, Shanghai Five
    assert table.code("sco", 704, 2001) == 1  # Uzbekistan
    assert table.code("sco", 750, 2005) == 0  # India, an observer COW does not code
    assert table.code("asean", 850, 1967) == 1  # Indonesia, a founder
    assert table.code("sco", 265, 1995) is None  # the GDR: no row after 1990
    assert table.names[750] == "india"
    assert len(table.ccodes_in(2014)) == 195


def test_a_gzipped_csv_and_a_stata_file_read_the_same(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    plain = read_state_year(EXTRACT)
    packed = tmp_path / "sy.csv.gz"
    packed.write_bytes(gzip.compress(EXTRACT.read_bytes()))
    assert read_state_year(packed) == plain
    stata = tmp_path / "sy.dta"
    pandas.read_csv(EXTRACT).to_stata(stata, write_index=False)
    assert read_state_year(stata) == plain


def test_an_r_data_file_reads_the_same(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pyreadr = pytest.importorskip("pyreadr")
    rda = tmp_path / "state_year_format3.rda"
    pyreadr.write_rdata(str(rda), pandas.read_csv(EXTRACT), df_name="state_year_format3")
    assert read_state_year(rda) == read_state_year(EXTRACT)
    broken = tmp_path / "broken.rda"
    broken.write_bytes(b"not R data")
    with pytest.raises(FileError):
        read_state_year(broken)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("ccode,year,sco\n710,1996,1\n", "no state column"),
        ("ccode,year,state,sco\n710,1996,china,7\n", "sco = 7 is no COW code"),
        ("ccode,year,state,sco\n710,x,china,1\n", "year is not a whole number"),
        ("ccode,year,state,sco\n710,1996,china\n", "3 fields, the header has 4"),
        ("ccode,year,state,sco\n710,1996,china,1\n710,1996,china,1\n", "given twice"),
    ],
)
def test_a_table_that_is_not_cows_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MalformedDataError, match=message):
        read_state_year(path)


def test_a_missing_file_and_an_unknown_organisation_say_so(tmp_path: Path) -> None:
    with pytest.raises(FileError):
        read_state_year(tmp_path / "none.csv")
    with pytest.raises(FileError):
        read_state_year(tmp_path / "none.csv.gz")
    with pytest.raises(MalformedDataError, match="did you mean asean"):
        read_state_year(EXTRACT).column("aseen")


def test_the_igo_list_names_every_organisation() -> None:
    igos = read_igo_list(DATA / "igo_names_extract.csv")
    assert len(igos) == 534
    (sco,) = [igo for igo in igos if igo.ioname == "SCO"]
    assert (sco.column, sco.start, sco.end) == ("sco", 1996, None)
    assert "Shanghai Five" in sco.longorgname
    dead = [igo for igo in igos if igo.end is not None]
    assert all(igo.start is not None and igo.start <= igo.end for igo in dead)


@given(
    st.lists(
        st.tuples(
            st.integers(2, 999), st.integers(1816, 2014), st.sampled_from(sorted(COW_CODES))
        ),
        max_size=30,
        unique_by=lambda row: row[:2],
    )
)
def test_rows_read_back_as_given(rows: list[tuple[int, int, int]]) -> None:
    table = state_year_from_rows(
        ["ccode", "year", "state", "un"], [(c, y, f"s{c}", code) for c, y, code in rows]
    )
    assert list(table.rows("un")) == rows
    for c, y, code in rows:
        assert table.code("UN", c, y) == code
