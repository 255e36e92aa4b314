"""Files the library reads and writes: text that is UTF-8, and writes that are all or nothing.

Every reader and writer of the library goes through here, so each file is handled one way:

- ``-`` means standard input (reading) or standard output (writing).
- Text is UTF-8; a byte-order mark (as editors on Windows and Excel write) is skipped. Bytes
  that are not UTF-8 raise :class:`~sco_membership.exceptions.MalformedDataError` naming the
  file, the line and the byte.
- A regular file (or a path that does not exist yet) is written through a unique temporary
  file in the same folder, flushed to disk, then renamed over the target: a reader sees the old
  text or the new one, never a part, and two writers never share a temporary file. A symbolic
  link is followed: the file it points to is replaced, the link stays. Anything else that is
  there (a FIFO, a device such as ``/dev/null``) is written to directly, never replaced.
- An operating-system error becomes :class:`~sco_membership.exceptions.FileError`, naming the
  path as the caller gave it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys

from ..exceptions import FileError, MalformedDataError, _shown

__all__ = ["path_name", "read_text", "write_bytes", "write_text"]

_BOM = "\ufeff"


def path_name(path: object) -> str:
    """The path as text; :class:`~sco_membership.exceptions.FileError` for anything that is
    not a usable path (not text, empty, holding a NUL or a character no file name can)."""
    if not isinstance(path, str | os.PathLike):
        raise FileError(_shown(path), f"a path is text, not {type(path).__name__}")
    try:
        name = os.fsdecode(path)
    except TypeError as exc:  # an os.PathLike whose __fspath__ gives neither str nor bytes
        raise FileError(_shown(path), str(exc)) from None
    if not name:
        raise FileError("''", "an empty path names no file")
    if "\x00" in name:
        raise FileError(_shown(name), "a path cannot hold a NUL character")
    try:
        os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate: no file system name is made of it
        raise FileError(
            _shown(name), "the path holds a character no file name can: it cannot be encoded"
        ) from None
    return name


def _decoded(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MalformedDataError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} at offset {exc.start}"
            " cannot be decoded (save the file as UTF-8)",
            file=name,
            line=line,
        ) from None
    return text[1:] if text.startswith(_BOM) else text


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of a file (``-``: standard input), without a byte-order mark."""
    name = path_name(path)
    if name == "-":
        return _stdin()
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        raise FileError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None
    return _decoded(data, name)


def _stdin() -> str:
    """Standard input's text. A stream replaced by text (a test's ``StringIO``) has no bytes to
    decode; a missing or closed one is a FileError, as a file that cannot be read is."""
    stream = sys.stdin
    try:
        if stream is None:
            raise FileError("-", "there is no standard input")
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            text = stream.read()
            return text[1:] if text.startswith(_BOM) else text
        return _decoded(buffer.read(), "<stdin>")
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        if isinstance(exc, FileError | MalformedDataError):
            raise
        raise FileError("-", str(exc), errno=getattr(exc, "errno", None)) from None


def _stdout(data: bytes) -> None:
    """Write to standard output. A reader that went away (``BrokenPipeError``) goes up as it
    is: the command line handles it; any other failure is a FileError."""
    stream = sys.stdout
    try:
        if stream is None:
            raise FileError("-", "there is no standard output")
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # replaced by a text stream
            stream.write(data.decode("utf-8"))
            stream.flush()
        else:
            buffer.write(data)
            buffer.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        if isinstance(exc, FileError):
            raise
        raise FileError("-", str(exc), errno=getattr(exc, "errno", None)) from None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` (``-``: standard output), all or nothing."""
    name = path_name(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedDataError(
            f"the text holds {exc.object[exc.start]!r}, which cannot be written as"
            " UTF-8 (a lone surrogate)",
            file=name,
        ) from None
    _write(name, data)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` (``-``: standard output), all or nothing.

    The bytes twin of :func:`write_text` (for a chart's PNG or SVG): the same checks, the same
    unique temporary file, the same errors.
    """
    name = path_name(path)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FileError(name, f"bytes are written, not {type(data).__name__}")
    _write(name, bytes(data))


def _write(name: str, data: bytes) -> None:
    """The one way :func:`write_text` and :func:`write_bytes` write: see the module's docstring."""
    if name == "-":
        _stdout(data)
        return
    target = os.path.realpath(name)  # a symbolic link: replace what it points to
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None
    try:
        if mode is not None and stat.S_ISDIR(mode):
            raise FileError(name, "is a directory, not a file")
        if mode is not None and not stat.S_ISREG(mode):
            with open(target, "wb") as handle:  # a FIFO or a device: written, never replaced
                handle.write(data)
            return
        _replace(target, data, mode)
    except OSError as exc:
        if isinstance(exc, FileError):
            raise
        raise FileError(name, exc.strerror or str(exc), errno=exc.errno) from None


def _temporary(folder: str, base: str) -> tuple[int, str]:
    """A new file beside the target, under a name no other writer has: created exclusively
    (``O_EXCL``), with the permissions a new file gets (the kernel applies the umask, so no
    thread ever changes it)."""
    # The base is cut: a name near the system's limit (255 bytes) leaves room for the rest.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = os.path.join(folder, f".{base[:100]}.{os.urandom(6).hex()}.partial")
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:  # pragma: no cover  (48 random bits: practically never)
            continue
    raise FileExistsError(f"no free temporary name in {folder}")  # pragma: no cover


def _replace(target: str, data: bytes, mode: int | None) -> None:
    descriptor, temporary = _temporary(*os.path.split(target))
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:  # replacing a file: keep its permissions
            os.chmod(temporary, stat.S_IMODE(mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
