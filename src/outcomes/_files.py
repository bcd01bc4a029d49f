"""Users' files, at the lowest level: reading text in the encodings Excel writes, CSV rows with
their line numbers and a field limit, and writing through a temporary file.

A bad file gives an :class:`~outcomes.errors.InputError` naming the file and the line, never
another exception; a write never leaves half a file and never overwrites an input.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from outcomes.errors import InputError, OutputError

__all__ = ["ENCODINGS", "FIELD_LIMIT", "csv_rows", "read_text", "write_atomic"]

#: Encodings tried in order: UTF-8 (with or without a byte-order mark), then Windows-1252, which
#: is what Excel's "CSV" (not "CSV UTF-8") writes on English Windows.
ENCODINGS = ("utf-8-sig", "cp1252")
#: The longest CSV field accepted (characters); longer fields are refused with their line.
FIELD_LIMIT = 100_000


def read_text(path: str | Path, *, what: str = "file") -> tuple[str, str]:
    """The text of a file and the encoding that read it (UTF-8, UTF-8 with BOM, Windows-1252).

    Raises :class:`InputError` naming the file when it cannot be read or decoded.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read {what}: {error.strerror or error}") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: not a text {what} (it contains NUL bytes; is it a workbook?)")
    failures = []
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            failures.append(f"{encoding}: byte {data[error.start]:#04x} at position {error.start}")
    raise InputError(
        f"{path}: cannot decode the {what} as UTF-8 or Windows-1252 ({'; '.join(failures)}); "
        "save it from Excel as 'CSV UTF-8'"
    )


def csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each CSV record, ``line`` being the file line the record starts on
    (the header is line 1). Quoted newlines inside cells are kept; blank lines are skipped."""
    handle = io.StringIO(text, newline="")
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
                raise InputError(f"{source}: line {start}: not valid CSV: {error}") from None
            if not row or all(not cell.strip() for cell in row):
                continue
            yield start, row
    finally:
        csv.field_size_limit(old)


def write_atomic(
    path: str | Path, data: str | bytes, *, inputs: Iterable[str | Path] = (), force: bool = True
) -> Path:
    """Write through a temporary file in the same folder, then rename into place.

    Refuses to write over one of ``inputs`` (always) or over an existing file unless ``force``.
    """
    target = Path(path)
    for given in inputs:
        try:
            if Path(given).resolve() == target.resolve():
                raise OutputError(f"{target}: refusing to overwrite an input file")
        except OSError:
            continue
    if target.exists() and not force:
        raise OutputError(f"{target}: exists; pass --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temp, _mode(target))  # mkstemp makes 0600; give the mode a new file would get
        os.replace(temp, target)
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
