"""Excel workbooks (read with python-calamine): one sheet per collection, or several sheets of one.

A sheet's header row is the one (among its first rows) that names the most fields, or the mapping's
`header_row`; title rows above it are skipped. Merged header cells are filled from their first cell, and a
merged group header above a column is tried as `group/column` before `column` alone (`保险/开始日期`).
Blank rows are skipped; formula cells read their computed value; a number in a date column is an Excel
serial date. Problems name the sheet, row and cell (`C17 出生日期`).
"""
from __future__ import annotations

import io
from typing import Any

from ..errors import InputError, Problem, fail
from ..safe_load import DEFAULT_LIMITS, Limits
from .mapping import INSTRUCTIONS_SHEET, Mapping
from .table import Lost, Table, table_document
from .sheet_extent import SheetExtents, column_number
from .unpacked import check_unpacked

HEADER_SEARCH_ROWS = 10


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_name(index: int, row: str) -> str:
    return f"{column_letter(index)}{row}"


def _open(data: bytes, file: str, limits: Limits = DEFAULT_LIMITS):
    """(the calamine workbook, sheet name → cell reference → why calamine would drop that cell's value)."""
    from . import need
    extents = SheetExtents()
    check_unpacked(data, file, limits, extents.watch)  # a zip bomb is refused before calamine inflates it,
    extents.check(data, file, limits)  # and a sheet whose grid is too large before calamine lays it out
    calamine = need("python_calamine", file)
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), extents.lost(data)
    except Exception as exc:  # calamine's errors: not a zip, not a workbook, password, bad XML
        raise fail(file, f"not a readable Excel workbook ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})") from None


def _grid(workbook, name: str, file: str) -> tuple[list[list[Any]], list]:
    try:
        sheet = workbook.get_sheet_by_name(name)
        return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])
    except Exception as exc:
        raise fail(file, f"cannot read the sheet ({type(exc).__name__})", part=f"sheet {name}") from None


def workbook_sources(data: bytes, file: str, mapping: Mapping, limits: Limits) -> dict:
    """The loader's sources of a workbook: collection → reader of its sheet(s)."""
    workbook, lost = _open(data, file, limits)
    names = [m.name for m in workbook.sheets_metadata]
    by_collection: dict[str, list[str]] = {}
    problems = []
    from . import unknown_parts, collection_of
    problems += unknown_parts("sheet", file, names, mapping)
    for name in names:
        collection = collection_of(name, mapping)
        if collection is not None and name not in mapping.ignore:
            by_collection.setdefault(collection, []).append(name)
    for collection, source in mapping.collections.items():
        for sheet in source.sheets():
            if sheet not in names:
                problems.append(Problem(file, f"the mapping's sheet {sheet!r} for {collection} is not in the workbook; "
                                              f"sheets: {', '.join(names)}", part=f"sheet {sheet}"))
    if problems:
        raise InputError(problems)

    def reader(collection: str, sheets: list[str]):
        def read():
            source = mapping.collections.get(collection)
            tables = [sheet_table(workbook, sheet, file, mapping, collection, source.header_row if source else None,
                                  lost.get(sheet, {})) for sheet in sheets]
            return table_document(collection, tables, mapping, limits.max_records), ()
        return read

    return {c: reader(c, sheets) for c, sheets in by_collection.items()}


def sheet_table(workbook, name: str, file: str, mapping: Mapping, collection: str, header_row: int | None,
                lost: dict[str, str] = {}) -> Table:
    grid, merged = _grid(workbook, name, file)
    _mark_lost(grid, lost)
    _fill_merged(grid, merged)
    if header_row is None:
        header_row = _find_header(grid, mapping, collection, merged)
    h = header_row - 1
    headers = _headers(grid, h, merged, mapping, collection) if h < len(grid) else []
    rows = ((str(i + 1), grid[i]) for i in range(h + 1, len(grid)))
    return Table(file, f"sheet {name}", headers, rows, _cell_name, header_row=str(header_row), serial_dates=True)


def _mark_lost(grid: list[list[Any]], lost: dict[str, str]) -> None:
    """Each cell whose value calamine dropped (an error, a formula never calculated) holds why, not an empty value."""
    for ref, reason in lost.items():
        letters = ref.rstrip("0123456789")
        r, c = int(ref[len(letters):]) - 1, column_number(letters.encode()) - 1
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = Lost(reason)


def _fill_merged(grid: list[list[Any]], merged: list) -> None:
    """A merged header cell's value in every cell it covers (data cells are rarely merged; they read alike)."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value


def _group(grid, h: int, c: int, merged: list) -> str | None:
    """The merged group header above column c of header row h, if any."""
    for (r0, c0), (r1, c1) in merged:
        if r1 == h - 1 and c0 <= c <= c1 and c1 > c0:
            return str(grid[r0][c0]).strip() or None
    return None


def _headers(grid, h: int, merged: list, mapping: Mapping, collection: str) -> list[str]:
    headers = []
    for c, value in enumerate(grid[h]):
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        group = _group(grid, h, c, merged)
        if text and group and group != text and mapping.column(collection, f"{group}/{text}") is not None:
            text = f"{group}/{text}"
        headers.append(text)
    return headers


def _find_header(grid, mapping: Mapping, collection: str, merged: list) -> int:
    """The 1-based row, among the first rows, whose cells name the most fields (ties: the lower row of a
    header that is merged downwards; else the first)."""
    best, best_score = 0, -1
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        headers = _headers(grid, r, merged, mapping, collection)
        score = sum(1 for t in headers if t and mapping.column(collection, t) is not None)
        if score > best_score:
            best, best_score = r, score
    for (r0, _), (r1, _) in merged:  # a header cell merged down over two rows: the header ends at its last row
        if r0 == best and r1 > best:
            best = max(best, r1)
    if best_score <= 0:
        first = next((r for r, row in enumerate(grid) if any(v not in (None, "") for v in row)), 0)
        return first + 1
    return best + 1


def sheet_headers(data: bytes, file: str) -> dict[str, list[str]]:
    """`mapping init`: each sheet's header cells (the first non-blank row, or the row naming most fields)."""
    from .mapping import EMPTY, default_collection
    workbook, _ = _open(data, file)
    found = {}
    for meta in workbook.sheets_metadata:
        if meta.name == INSTRUCTIONS_SHEET:
            continue
        grid, merged = _grid(workbook, meta.name, file)
        _fill_merged(grid, merged)
        collection = default_collection(meta.name)
        row = _find_header(grid, EMPTY, collection, merged) if collection else next(
            (r + 1 for r, cells in enumerate(grid) if any(v not in (None, "") for v in cells)), 1)
        found[meta.name] = [h for h in (_headers(grid, row - 1, merged, EMPTY, collection or "members")
                                        if row - 1 < len(grid) else []) if h]
    return found
