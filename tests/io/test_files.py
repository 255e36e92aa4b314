"""``io.files``: UTF-8 reads (BOM skipped, bad bytes named), all-or-nothing writes."""

from __future__ import annotations

import io
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sco_membership.exceptions import FileError, MalformedDataError
from sco_membership.io.files import read_text, write_text


def test_text_is_read_as_utf8_without_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffété\n".encode())
    assert read_text(path) == "été\n"
    assert read_text(str(path)) == "été\n"
    path.write_bytes("\ufeff\ufeffx".encode())
    assert read_text(path) == "\ufeffx"  # only the first mark is the file's


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"ok\n\xe9t\xe9\n", 2, "0xE9"),
        (b"\x89PNG\r\n", 1, "0x89"),
        (b"\n\n\n\xff", 4, "0xFF"),
        (b"\xed\xa0\x80", 1, "0xED"),  # an encoded surrogate is not UTF-8 either
    ],
)
def test_bytes_that_are_not_utf8_name_the_file_the_line_and_the_byte(
    tmp_path: Path, data: bytes, line: int, byte: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(MalformedDataError, match=f"byte {byte}") as caught:
        read_text(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)


def test_what_cannot_be_read_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        read_text(tmp_path / "missing.txt")
    assert caught.value.path == str(tmp_path / "missing.txt")
    assert caught.value.code == 2
    assert isinstance(caught.value, OSError)
    with pytest.raises(FileError, match="is a directory"):
        read_text(tmp_path)


class _BadPath:
    def __fspath__(self) -> int:
        return 3


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (None, "a path is text, not NoneType"),
        (10**5000, "a path is text, not int"),
        (b"x", "a path is text, not bytes"),
        ("", "an empty path"),
        ("a\x00b", "NUL"),
        (_BadPath(), "to return str or bytes"),
    ],
    ids=["none", "huge-int", "bytes", "empty", "nul", "bad-fspath"],
)
def test_what_is_not_a_path_is_a_file_error(path: object, message: str) -> None:
    for call in (lambda: read_text(path), lambda: write_text(path, "x")):  # type: ignore[arg-type]
        with pytest.raises(FileError, match=message) as caught:
            call()
        assert len(str(caught.value)) < 200


def test_dash_is_standard_input_and_output(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfhi\n")))
    assert read_text("-") == "hi\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff")))
    with pytest.raises(MalformedDataError) as caught:
        read_text("-")
    assert caught.value.file == "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.StringIO("\ufefftext"))  # no bytes underneath
    assert read_text("-") == "text"
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(FileError, match="no standard input"):
        read_text("-")
    write_text("-", "été\n")
    assert capsysbinary.readouterr().out == "été\n".encode()


def test_a_closed_standard_output_is_a_file_error(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.TextIOWrapper(io.BytesIO())
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    with pytest.raises(FileError):
        write_text("-", "x")


def test_a_write_replaces_the_file_whole_and_leaves_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_text(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o640)
    write_text(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the file's own mode is kept
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_name_near_the_systems_limit_can_be_written(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 250)
    write_text(path, "x")
    write_text(path, "y")
    assert path.read_text(encoding="utf-8") == "y"
    assert os.listdir(tmp_path) == [path.name]


def test_a_symbolic_link_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_text(link, "new")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new"


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_is_written_to_not_replaced() -> None:
    write_text(os.devnull, "gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_what_cannot_be_written_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="is a directory"):
        write_text(tmp_path, "x")
    with pytest.raises(FileError) as caught:
        write_text(tmp_path / "no" / "such" / "folder.txt", "x")
    assert caught.value.path == str(tmp_path / "no" / "such" / "folder.txt")


def test_a_lone_surrogate_cannot_be_written_and_nothing_is(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(MalformedDataError, match=r"'\\ud800'") as caught:
        write_text(path, "a" + "\ud800" * 100_000)
    assert len(str(caught.value)) < 200
    assert path.read_text(encoding="utf-8") == "kept"
    assert os.listdir(tmp_path) == ["out.txt"]


@given(text=st.text())
@example(text="\ufeff")
@example(text="a\u2028b\r\n\x85")
def test_what_is_written_reads_back(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("round") / "t.txt"
    try:
        write_text(path, text)
    except MalformedDataError:
        assert any("\ud800" <= c <= "\udfff" for c in text)
        return
    expected = text[1:] if text.startswith("\ufeff") else text
    assert read_text(path) == expected


def test_a_path_holding_a_lone_surrogate_is_a_file_error() -> None:
    # os.fsencode cannot make a file name of it: the library's error, not UnicodeEncodeError.
    with pytest.raises(FileError, match="the path holds a character no file name can"):
        read_text("\ud800.jsonl")
    with pytest.raises(FileError, match="the path holds a character no file name can"):
        write_text("\ud800.jsonl", "")
