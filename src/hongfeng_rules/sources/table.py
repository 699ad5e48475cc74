"""From a table (sheet, CSV file, Parquet file, SQL table or query) to plain records of one collection.

Each cell is turned into its field's value (dates in the usual Chinese spellings and as Excel serial
numbers, yes/no words, text-typed numbers, list cells, JSON cells); a cell that cannot be is a problem
naming file, sheet, row and cell. The records then go through the loader's validation like a JSON
file's, and a `TableDocument` tells the loader where each record and field came from.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterable

from ..errors import Problem
from ..safe_load import Document
from ..timecalc.zone import SHANGHAI
from .fields import BOOL_WORDS, Field, fields_of
from ..limit_names import limit_named
from .mapping import Column, Mapping

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
TIME_FORMATS = ("%H:%M:%S", "%H:%M")
LIST_SEPARATORS = (";", "；")
EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel's 1900 leap-year quirk: see _serial)


@dataclass
class Table:
    """One sheet, file, table or query as read: its header cells and its data rows."""

    file: str  # what the user named: "members.xlsx", "export/members.csv", "postgresql://u@host/db"
    part: str | None  # "sheet 队员", "table members", "query members"; None for a file that is the table
    headers: list[Any]
    rows: Iterable[tuple[str, list[Any]]]  # (row label, cells): "17" (a sheet row or CSV line), "id=m-004"
    cell_name: Callable[[int, str], str]  # (column index, row label) → "C17" / "column 3"
    header_row: str | None = None  # the header's row label, for problems with a header
    serial_dates: bool = False  # a number in a date column is an Excel serial date


@dataclass(frozen=True)
class Lost:
    """A cell whose value the workbook reader could not give (an error value, a formula never calculated)."""

    reason: str

    def __repr__(self) -> str:
        return "a cell without a value"


@dataclass
class _Place:
    table: Table
    row: str
    columns: dict[str, int]  # field path → column index


@dataclass
class TableDocument(Document):
    """Records read from tables, and where each came from (the loader's validation asks `locate`)."""

    places: list[_Place] = field(default_factory=list, repr=False)
    problems: list[Problem] = field(default_factory=list, repr=False)  # cells that could not be read
    failed: set[tuple[int, str]] = field(default_factory=set, repr=False)  # their (record index, field)

    def locate(self, path: tuple) -> dict:
        """Problem keywords for a key path (index, field, …) into the records: file, sheet, row and cell."""
        if not path or not isinstance(path[0], int) or path[0] >= len(self.places):
            return {"file": self.file}
        place = self.places[path[0]]
        where = {"file": place.table.file, "part": place.table.part, "row": place.row, "record": None, "field": None}
        steps = [s for p in path[1:] for s in (re.findall(r"[^.\[\]]+", p) if isinstance(p, str) else [p])]
        names = [str(s) for s in steps]
        for n in range(len(names), 0, -1):  # the longest field path that is a column: file.contact, then file
            column = place.columns.get(".".join(names[:n]))
            if column is not None:
                where["cell"] = _cell(place.table, column, place.row)
                where["field"] = _sub_path(tuple(steps[n:]))
                return where
        where["field"] = _sub_path(tuple(steps))
        return where


def _sub_path(rest: tuple) -> str | None:
    out = ""
    for step in rest:
        is_index = isinstance(step, int) or (isinstance(step, str) and step.isdigit())
        out += f"[{step}]" if is_index else (f".{step}" if out else str(step))
    return out or None


def _cell(table: Table, column: int, row: str) -> str:
    return f"{table.cell_name(column, row)} {_text(table.headers[column])}"


def _text(header: Any) -> str:
    return " ".join(str(header).split()) if header is not None else ""


def table_document(collection: str, tables: list[Table], mapping: Mapping, max_records: int) -> TableDocument:
    """The records of `collection` from its tables, with the cells that could not be read (the loader reports
    them with its validation's problems, all at once), or InputError when a header cannot be placed."""
    from ..errors import InputError

    doc = TableDocument([], tables[0].file if tables else collection)
    for table in tables:
        if not _read(collection, table, mapping, doc, max_records):
            raise InputError(doc.problems)
    return doc


def _read(collection: str, table: Table, mapping: Mapping, doc: TableDocument, max_records: int) -> bool:
    """Add the table's records to `doc`; False when its header or size is wrong (nothing more to say then)."""
    records, places, problems = doc.data, doc.places, doc.problems
    fields = fields_of(collection)
    source = mapping.collections.get(collection)
    defaults = dict(source.defaults) if source else {}
    columns: list[tuple[int, Field, Column]] = []
    by_field: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        text = _text(header)
        if not text or mapping.ignored_column(collection, text):
            continue
        spec = mapping.column(collection, text)
        where = {"file": table.file, "part": table.part, "row": table.header_row,
                 "cell": table.cell_name(i, table.header_row or "") + f" {text}"}
        if spec is None:
            problems.append(Problem(reason=f"column {text!r} is not mapped to a field of {collection} (map it, or "
                                           f"list it under ignore_columns); fields: {', '.join(fields)}", **where))
        elif spec.field in by_field:
            first = by_field[spec.field]
            problems.append(Problem(reason=f"column {text!r} is {spec.field}, as is "
                                           f"{table.cell_name(first, table.header_row or '')} "
                                           f"{_text(table.headers[first])!r}: one column a field", **where))
        else:
            by_field[spec.field] = i
            columns.append((i, fields[spec.field], spec))
    if problems:
        return False
    unheaded = [i for i, header in enumerate(table.headers) if not _text(header)]  # a value there would be lost
    reported: set[int] = set()
    rows, width = 0, len(table.headers)
    for label, cells in table.rows:
        if all(_blank(c) for c in cells):
            continue
        rows += 1
        for i in [*unheaded, *range(width, len(cells))] if unheaded or len(cells) > width else ():
            if i < len(cells) and i not in reported and not _blank(cells[i]):
                reported.add(i)
                problems.append(Problem(table.file, f"{_short(cells[i])} has no header above it: give its column a "
                                                    "header, or delete the value", part=table.part, row=label,
                                        cell=table.cell_name(i, label)))
        if len(records) >= max_records:
            problems.append(Problem(table.file, f"more than {max_records} records in {collection} "
                                    + limit_named("max_records"),
                                    part=table.part, row=label))
            return False
        record: dict[str, Any] = {}
        for i, field_, spec in columns:
            value = cells[i] if i < len(cells) else None
            try:
                value = convert(value, field_, spec, mapping.dates, table.serial_dates)
            except ValueError as exc:
                problems.append(Problem(table.file, str(exc), part=table.part, row=label,
                                        cell=_cell(table, i, label)))
                doc.failed.add((len(records), field_.path.split(".")[0]))
                continue
            if value is not _ABSENT:
                _put(record, field_.path, value)
        for path, value in defaults.items():
            if _get(record, path) is _ABSENT:
                _put(record, path, value)
        records.append(record)
        places.append(_Place(table, label, by_field))
    if not rows and not by_field and not any(_text(h) for h in table.headers):
        problems.append(Problem(table.file, "empty: not even a header row (a collection without records is its header "
                                            "row alone)", part=table.part))
        return False
    return True


_ABSENT = object()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _put(record: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for p in parents:
        record = record.setdefault(p, {})
    record[last] = value


def _get(record: dict, path: str) -> Any:
    for p in path.split("."):
        if not isinstance(record, dict) or p not in record:
            return _ABSENT
        record = record[p]
    return record


def convert(value: Any, field_: Field, spec: Column, formats: list[str] = (), serial: bool = False) -> Any:
    """A cell's value as its field's (or _ABSENT for an empty cell); ValueError says why it cannot be."""
    if _blank(value):
        return _ABSENT
    if isinstance(value, Lost):
        raise ValueError(value.reason)
    if isinstance(value, str):
        value = value.strip()
        if value in spec.values:
            return spec.values[value]
    if field_.kind == "list":
        return [_scalar(v, field_.item, spec, formats, serial) for v in _items(value, spec)]
    if field_.kind == "json":
        return _json(value)
    return _scalar(value, field_.kind, spec, formats, serial)


def _items(value: Any, spec: Column) -> list:
    if isinstance(value, (list, tuple)):
        return [v for v in value if not _blank(v)]
    if isinstance(value, str) and value.startswith("["):
        items = _json(value)
        if not isinstance(items, list):
            raise ValueError(f"{value!r} is not a list")
        return items
    text = str(value)
    for sep in [spec.split] if spec.split else LIST_SEPARATORS:
        text = text.replace(sep, "\x00")
    return [v.strip() for v in text.split("\x00") if v.strip()]


def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # Parquet structs and lists, SQL json columns: already data
    try:
        return json.loads(value)
    except ValueError:
        raise ValueError(f"{_short(value)} is not valid JSON (a list of records is written as JSON, "
                         f'e.g. [{{"name": "…"}}])') from None


def _scalar(value: Any, kind: str, spec: Column, formats, serial: bool) -> Any:
    if isinstance(value, str) and value in spec.values:
        return spec.values[value]
    if kind == "text" or kind == "choice":
        return _as_text(value, serial)
    if kind == "whole":
        return _whole(value)
    if kind == "number":
        return _number(value)
    if kind == "yes_no":
        return _yes_no(value)
    if kind == "date":
        return _date(value, [*spec.formats, *formats], serial)
    if kind == "instant":
        return _instant(value, [*spec.formats, *formats], serial)
    return value


def _short(value: Any) -> str:
    if isinstance(value, (time, timedelta)):  # as a person writes them, not datetime.time(9, 30)
        value = value.isoformat() if isinstance(value, time) else str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


EXACT_DIGITS = 15  # a spreadsheet keeps 15 significant digits of a number: 330681199001011234 is stored 3306811990010110…


def _as_text(value: Any, serial: bool = False) -> str:
    """A cell as text: a number as its digits, a date in ISO 8601; a record, a list, a time of day or a number that
    cannot have kept its digits is a ValueError, never its Python spelling."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():  # an id typed as a number reads 1001.0
        if serial and abs(value) >= 10 ** EXACT_DIGITS:
            raise ValueError(f"the number {value!r} has more digits than a number cell keeps ({EXACT_DIGITS}); its "
                             "last digits are lost: write it as text")
        if abs(value) >= 2 ** 53:
            raise ValueError(f"the number {value!r} is too large for a floating-point number to hold its digits "
                             "exactly: write it as text")
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{_short(value)} is bytes that are not UTF-8 text") from None
    raise ValueError(f"{_short(value)} is {_kind(value)}, not text")


def _kind(value: Any) -> str:
    """What a typed cell that is not a scalar holds, in words."""
    if isinstance(value, time):
        return "a time of day"
    if isinstance(value, timedelta):
        return "a duration"
    if isinstance(value, dict):
        return "a record"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        number = math.nan
    if not number.is_integer():
        raise ValueError(f"{_short(value)} is not a whole number")
    return int(number)


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{_short(value)} is not a number")
    return number


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _as_text(value).lower()
    if word not in BOOL_WORDS:
        raise ValueError(f"{_short(value)} is not a yes/no (是/否, true/false, 1/0)")
    return BOOL_WORDS[word]


def _serial(value: Any, serial: bool, what: str) -> datetime:
    """An Excel serial day number: 1 is 1900-01-01; Excel counts a 29 February 1900 (60) that never was, so the
    days after it are counted from 1899-12-30 and the days before from 1899-12-31."""
    if not serial or isinstance(value, bool) or not 1 <= value < 2958466:  # 9999-12-31
        raise ValueError(f"{_short(value)} is not {what}")
    if 60 <= value < 61:
        raise ValueError(f"the serial day {value!r} is 29 February 1900, a day that never was (Excel counts 1900 as a "
                         "leap year): write the date")
    return EXCEL_EPOCH + timedelta(days=value) if value >= 61 else EXCEL_EPOCH + timedelta(days=value + 1)


def _date(value: Any, formats: list[str], serial: bool) -> date:
    if isinstance(value, datetime) and value.tzinfo is not None:  # a date written as an instant: its Shanghai day
        value = value.astimezone(SHANGHAI).replace(tzinfo=None)
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise ValueError(f"{value.isoformat(sep=' ')!r} is a date with a time; a date is expected")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        return _date(_serial(value, serial, "a date"), formats, serial)
    if isinstance(value, (time, timedelta, dict, list, tuple)):
        raise ValueError(f"{_short(value)} is {_kind(value)}; a date is expected")
    text = _as_text(value)
    for fmt in (*DATE_FORMATS, *formats):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"{_short(value)} is not a date")


def _instant(value: Any, formats: list[str], serial: bool) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if isinstance(value, (int, float)):
        return _serial(value, serial, "a date and time")
    if isinstance(value, (time, timedelta, dict, list, tuple)):
        raise ValueError(f"{_short(value)} is {_kind(value)}; a date and time is expected")
    text = _as_text(value)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for day in (*DATE_FORMATS, *formats):
        for clock in ("", *(" " + t for t in TIME_FORMATS)):
            try:
                return datetime.strptime(text, day + clock)
            except ValueError:
                pass
    raise ValueError(f"{_short(value)} is not a date and time")
