"""Users' files, at the lowest level: reading text in the encodings Excel writes, CSV rows with
their line numbers and a field limit, and writing through a temporary file.

A bad file gives an :class:`~outcomes.errors.InputError` naming the file and the line, never
another exception; a write never leaves half a file and never overwrites an input.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from outcomes.errors import InputError, OutcomesError, OutputError

__all__ = [
    "ENCODINGS",
    "FIELD_LIMIT",
    "TOO_DEEP",
    "csv_file_rows",
    "csv_rows",
    "deep_line",
    "load_toml",
    "read_text",
    "text_encoding",
    "write_atomic",
]

#: Encodings tried in order: UTF-8 (with or without a byte-order mark), then Windows-1252, which
#: is what Excel's "CSV" (not "CSV UTF-8") writes on English Windows.
ENCODINGS = ("utf-8-sig", "cp1252")
#: The longest CSV field accepted (characters); longer fields are refused with their line.
FIELD_LIMIT = 100_000


def read_text(
    path: str | Path, *, what: str = "file", error: type[OutcomesError] = InputError
) -> tuple[str, str]:
    """The text of a file and the encoding that read it (UTF-8, UTF-8 with BOM, Windows-1252).

    Raises ``error`` (:class:`InputError` by default) naming the file and the line when it cannot
    be read or decoded, and which encodings were tried.
    """
    path = _given_path(path, what, error)
    try:
        data = path.read_bytes()
    except OSError as os_error:
        raise error(f"{path}: cannot read {what}: {os_error.strerror or os_error}") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise error(
            f"{path}: line {_line_of(data, nul)}: not a text {what} (it contains NUL bytes; is it "
            "a workbook or UTF-16 text?)"
        )
    failures = []
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as decode_error:
            at = decode_error.start
            failures.append(
                f"{_NAMES[encoding]}: byte {data[at]:#04x} at line {_line_of(data, at)}"
            )
    raise _undecodable(path, what, failures, error)


_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def _given_path(path: object, what: str, error: type[OutcomesError]) -> Path:
    """``path`` as a Path; anything but text or a Path (or a name with a NUL) is ``error``."""
    if not isinstance(path, str | Path) or "\x00" in str(path):
        raise error(f"the {what} must be given as a path, got {path!r:.60}")
    return Path(path)


def _undecodable(
    path: Path, what: str, failures: list[str], error: type[OutcomesError]
) -> OutcomesError:
    """The error of a file no encoding reads, with where each one failed."""
    return error(
        f"{path}: cannot decode the {what} as UTF-8 or Windows-1252 ({'; '.join(failures)}); "
        "save it from Excel as 'CSV UTF-8'"
    )


_BLOCK = 1 << 20


def text_encoding(
    path: str | Path, *, what: str = "file", error: type[OutcomesError] = InputError
) -> str:
    """The encoding that reads a whole file (as :func:`read_text` chooses it), found by streaming
    it in blocks, so a large file is never held in memory; the same errors as :func:`read_text`.
    """
    path = _given_path(path, what, error)
    failures = []
    try:
        for encoding in ENCODINGS:
            decoder = codecs.getincrementaldecoder(encoding)()
            lines = 1
            with path.open("rb") as handle:
                while block := handle.read(_BLOCK):
                    nul = block.find(b"\x00")
                    if nul >= 0:
                        at_line = lines + block.count(b"\n", 0, nul)
                        raise error(
                            f"{path}: line {at_line}: not a text "
                            f"{what} (it contains NUL bytes; is it a workbook or UTF-16 text?)"
                        )
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError as decode_error:
                        at = decode_error.start
                        where = lines + block.count(b"\n", 0, max(at, 0))
                        byte = block[at] if 0 <= at < len(block) else block[-1]
                        failures.append(f"{_NAMES[encoding]}: byte {byte:#04x} at line {where}")
                        break
                    lines += block.count(b"\n")
                else:
                    try:
                        decoder.decode(b"", final=True)
                    except UnicodeDecodeError:
                        failures.append(f"{_NAMES[encoding]}: the file ends inside a character")
                        continue
                    return encoding
    except OSError as os_error:
        raise error(f"{path}: cannot read {what}: {os_error.strerror or os_error}") from None
    raise _undecodable(path, what, failures, error)


def csv_file_rows(
    path: str | Path, source: str, *, what: str = "file", error: type[OutcomesError] = InputError
) -> Iterator[tuple[int, list[str]]]:
    """:func:`csv_rows` of a file read as a stream (its encoding found by
    :func:`text_encoding`): a large file is parsed without holding its text in memory."""
    encoding = text_encoding(path, what=what, error=error)
    try:
        handle = Path(path).open(encoding=encoding, newline="")  # noqa: SIM115 - a generator
    except OSError as os_error:
        raise error(f"{path}: cannot read {what}: {os_error.strerror or os_error}") from None
    with handle:
        yield from _rows(handle, source)


def _line_of(data: bytes, position: int) -> int:
    """The 1-based line of a byte position."""
    return data.count(b"\n", 0, position) + 1


def load_toml(text: str, source: str, error: type[OutcomesError]) -> Any:
    """Parse TOML text; a syntax error or nesting too deep raises ``error`` naming the line.

    >>> load_toml("a = 1", "x.toml", InputError)
    {'a': 1}
    >>> load_toml("a = 1\\nb = ", "x.toml", InputError)
    Traceback (most recent call last):
    ...
    outcomes.errors.InputError: x.toml: line 2: not valid TOML: Invalid value (at end of document)
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as decode_error:
        message = str(decode_error)
        found = re.search(r"at line (\d+)", message)
        line = int(found[1]) if found else text.count("\n") + 1
        raise error(f"{source}: line {line}: not valid TOML: {message}") from None
    except RecursionError:
        raise error(f"{source}: line {deep_line(text)}: {TOO_DEEP}") from None


TOO_DEEP = "nested too deeply (arrays or tables inside each other)"


def deep_line(text: str, depth: int = 100) -> int:
    """The line where brackets (``[``, ``{``) first nest ``depth`` deep (the last line if never):
    where a file nested too deeply to read goes wrong."""
    level = 0
    for number, line in enumerate(text.splitlines() or [""], start=1):
        for char in line:
            level += (char in "[{") - (char in "]}")
            if level >= depth:
                return number
    return max(text.count("\n"), 0) + 1


def csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each CSV record, ``line`` being the file line the record starts on
    (the header is line 1). Quoted newlines inside cells are kept; blank lines are skipped."""
    return _rows(io.StringIO(text, newline=""), source)


def _rows(handle: Any, source: str) -> Iterator[tuple[int, list[str]]]:
    old = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        reader = csv.reader(handle)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                reason = str(error)
                if "field larger than field limit" in reason:
                    reason = f"a cell longer than {FIELD_LIMIT:,} characters (an unclosed quote?)"
                raise InputError(f"{source}: line {start}: not valid CSV: {reason}") from None
            if not row or all(not cell.strip() for cell in row):
                continue
            yield start, row
    finally:
        csv.field_size_limit(old)


def output_path(path: object) -> Path:
    """An output file's name as a Path; anything else (not text, empty, a NUL) an OutputError.

    >>> output_path("out.csv").name
    'out.csv'
    >>> output_path(3.5)
    Traceback (most recent call last):
    ...
    outcomes.errors.OutputError: the output must be a file name, got 3.5
    """
    if not isinstance(path, str | Path) or not str(path) or "\x00" in str(path):
        raise OutputError(f"the output must be a file name, got {path!r:.60}")
    return Path(path)


def write_atomic(
    path: str | Path,
    data: str | bytes | Callable[[BinaryIO], None],
    *,
    inputs: Iterable[str | Path] = (),
    force: bool = True,
) -> Path:
    """Write through a temporary file in the same folder, then rename into place. ``data`` is
    text (written as UTF-8), bytes, or a function that writes to the open binary file (so that
    a large output is streamed rather than built in memory).

    Refuses to write over one of ``inputs`` (always) or over an existing file unless ``force``.
    """
    target = output_path(path)
    if not isinstance(force, bool):
        raise OutputError(f"force must be True or False, got {force!r:.60}")
    if isinstance(inputs, str | Path):
        inputs = (inputs,)
    try:
        given_inputs = list(inputs)
    except TypeError:
        raise OutputError(f"inputs must be a list of file names, got {inputs!r:.60}") from None
    for given in given_inputs:
        if not isinstance(given, str | Path):
            raise OutputError(f"inputs must be file names, got {given!r:.60}")
        try:
            if Path(given).resolve() == target.resolve():
                raise OutputError(f"{target}: refusing to overwrite an input file")
        except OSError:
            continue
    if target.exists() and not force:
        raise OutputError(f"{target}: exists; pass --force to overwrite it")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{target}: cannot write there: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temp, _mode(target))  # mkstemp makes 0600; give the mode a new file would get
        os.replace(temp, target)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def _mode(target: Path) -> int:
    """The permissions the written file should have: the replaced file's, else 0666 less the
    process umask (what ``open(path, "w")`` would give)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
