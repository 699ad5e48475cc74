"""CSV files: one collection per file, a header line, UTF-8 (with or without BOM) or GB18030/GBK.

The encoding is named (`--encoding`) or found: a UTF-8 BOM, else UTF-8 if the bytes are valid UTF-8,
else GB18030 (a superset of GBK, what Chinese Excel writes by default).
"""
from __future__ import annotations

import codecs
import csv
import io

from ..errors import fail
from .table import Table

ENCODINGS = {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312"}


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """The text of a CSV file's bytes, in the named encoding or the one found."""
    if encoding:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise fail(file, f"unknown encoding {encoding!r} (e.g. utf-8, gb18030)") from None
        except UnicodeDecodeError as exc:
            raise fail(file, f"not {encoding}: byte {exc.start} cannot be decoded (try --encoding gb18030 "
                             "or utf-8)") from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict") if _utf8(data[3:]) else _bad(file)
    if _utf8(data):
        return data.decode("utf-8")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return _bad(file)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _bad(file: str) -> str:
    raise fail(file, "neither UTF-8 nor GB18030 text; name the encoding with --encoding")


def read_csv(data: bytes, file: str, encoding: str | None = None) -> Table:
    """The table of one CSV file (rows are labelled by their line number, cells by column number)."""
    text = decode(data, file, encoding)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)  # the header line's most frequent of comma, tab, semicolon
    # the csv module refuses a cell over 131,072 characters without saying which: the file's size is the bound
    # (its limit is the process's; it only ever grows here, so concurrent readers never see it shrink)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, [])
    except csv.Error as exc:
        raise fail(file, f"not CSV: {exc}", line=1) from None
    return Table(file, None, headers, _rows(reader, file), _column, header_row="1")


def _rows(reader, file: str):
    try:
        for cells in reader:
            yield str(reader.line_num), cells
    except csv.Error as exc:
        raise fail(file, f"not CSV: {exc}", line=reader.line_num) from None


def _column(index: int, row: str) -> str:
    return f"column {index + 1}"
