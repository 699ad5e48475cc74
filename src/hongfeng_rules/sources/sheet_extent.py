"""How far a worksheet's cells reach, read from its XML before the workbook reader lays the sheet out: the reader
builds a dense grid from A1 to the last cell holding a value, so one cell at XFD1048576 in a 5 kB workbook asked
for 17 billion cells (a 512 GB allocation: the process aborted). Counted as the parts are inflated
(`unpacked.check_unpacked`): cells written with their reference (`<c r="B7">`, what Excel, LibreOffice, openpyxl and
xlsxwriter write) by a regular expression; a sheet with cells or rows written without one is walked tag by tag, as
the reader places them (the next column, the next row). A cell without a value (`<c r="Z9" s="1"/>`, formatting
only) is not laid out and does not count. An OpenDocument sheet (`.ods`, its `content.xml`) is walked the same way,
a cell or row repeated (`table:number-columns-repeated`, `table:number-rows-repeated`) counting as often as the
reader lays it out: a 1 kB `.ods` repeating one value 3,000 × 3,000 times took 930 MB.

The same scan finds the cells whose value the reader would drop without a word: an error value (`#N/A`, `#DIV/0!`,
`t="e"`) and a formula saved without the value it computes (a program that writes formulas but never calculates
them, such as openpyxl: `<c r="D2"><f>…</f><v/></c>`); the sheet's reader turns each into a problem naming its
cell (`lost`), where it read as an empty cell before."""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import fail
from ..safe_load import Limits
from ..limit_names import limit_named

BYTES_A_CELL = 20  # a cell with a value is at least ~20 bytes of XML (<c r="A1"><v>1</v></c>): a dense sheet fits
_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
_TAG = re.compile(rb'<(?:[\w.-]+:)?(row|c)(?=[\s>/])([^>]*)>')
_R = re.compile(rb'\br="([A-Z]{0,3})([0-9]{1,7})"')
_ROW_R = re.compile(rb'row r="([0-9]{1,7})"')
_FORMULA = rb'<f\b[^>]*(?:/>|>[^<]*</f>)'
_ERROR = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?\st="e"[^>]*>\s*(?:' + _FORMULA + rb'\s*)?<v>([^<]{0,64})</v>')
_NO_VALUE = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"((?:\s[^>]*?)?)>\s*' + _FORMULA + rb'\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_LOST_CARRY = 64 << 10  # a cell still open after this much is long text: neither an error nor a bare formula


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class Extent:
    """The last row and column holding a value in one worksheet part, fed its XML piece by piece."""

    def __init__(self):
        self.rows = self.columns = 0
        self.lost: dict[str, str] = {}  # cell reference → why its value is lost
        self._carry, self._walk, self._row, self._column = b"", False, 0, 0
        self._open_cell = b""

    def feed(self, piece: bytes) -> None:
        self._lost(piece)
        text = self._carry + piece
        cut = text.rfind(b"<")
        text, self._carry = (text[:cut], text[cut:]) if cut >= 0 and b">" not in text[cut:] else (text, b"")
        if not self._walk:
            starts = text.count(b"<c ") + text.count(b"<c>") + text.count(b":c")  # :c over-counts: a walk, no harm
            self._walk = starts != text.count(b'<c r="')
        if self._walk:
            self._tags(text)
            return
        found = _REF.findall(text)
        if found:
            self.rows = max(self.rows, *(int(r) for _, r in found))
            self.columns = max(self.columns, *(column_number(c) for c in {c for c, _ in found}))
        # where a walk would start, should a later piece hold a cell without a reference: at most the last
        # numbered row plus every row without a number, at most the widest column
        numbered = [int(r) for r in _ROW_R.findall(text)]
        unnumbered = text.count(b"<row") + text.count(b":row") - len(numbered)
        self._row = max(self._row, *numbered) + max(unnumbered, 0) if numbered or unnumbered else self._row
        self._column = self.columns

    def _lost(self, piece: bytes, last: bool = False) -> None:
        """Error cells and formulas without their value, among the whole cells of `piece` (with the one left open)."""
        text = self._open_cell + piece
        cut = -1 if last else text.rfind(b"<c ")
        self._open_cell = text[cut:] if cut >= 0 and len(text) - cut <= _LOST_CARRY else b""
        text = text[:cut] if cut >= 0 else text
        if b't="e"' in text:
            for ref, value in _ERROR.findall(text):
                self.lost[ref.decode()] = f"the cell holds Excel's error {value.decode('utf-8', 'replace')}, not a value"
        if b"<f>" in text or b"<f " in text:  # not <formula1> of a validation
            for ref, attributes in _NO_VALUE.findall(text):
                if b't="str"' not in attributes:  # a formula giving empty text is an empty cell
                    self.lost[ref.decode()] = ("the cell holds a formula saved without its value (written by a program "
                                               "that does not calculate): open and save the workbook in Excel or "
                                               "LibreOffice, or write the value")

    def _tags(self, text: bytes) -> None:
        """As the reader places them: a row or a cell without a reference is the next one."""
        for tag, attributes in _TAG.findall(text):
            ref = _R.search(attributes)
            if tag == b"row":
                self._row = int(ref.group(2)) if ref and not ref.group(1) else self._row + 1
                self._column = 0
                continue
            if ref and ref.group(1):
                self._row, self._column = int(ref.group(2)), column_number(ref.group(1))
            else:
                self._column += 1
            if not attributes.endswith(b"/"):
                self.rows, self.columns = max(self.rows, self._row), max(self.columns, self._column)


_ODS_TAG = re.compile(rb'<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s>/])([^>]*)>')
_ODS_REPEAT = re.compile(rb'table:number-(?:rows|columns)-repeated="([0-9]{1,10})"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')


class OdsExtent:
    """Each table's last row and column holding a value in an OpenDocument `content.xml`, repeats counted."""

    def __init__(self):
        self.tables: dict[str, list[int]] = {}  # name → [rows, columns]
        self._carry, self._name, self._row, self._repeat, self._column, self._widest = b"", "", 0, 1, 0, 0

    def feed(self, piece: bytes) -> None:
        text = self._carry + piece
        cut = text.rfind(b"<")
        text, self._carry = (text[:cut], text[cut:]) if cut >= 0 and b">" not in text[cut:] else (text, b"")
        for end, tag, attributes in _ODS_TAG.findall(text):
            repeat = _ODS_REPEAT.search(attributes)
            times = int(repeat.group(1)) if repeat else 1
            closed = attributes.endswith(b"/")
            if tag == b"table" and not end:
                name = _ODS_NAME.search(attributes)
                self._name, self._row = (name.group(1).decode("utf-8", "replace") if name else ""), 0
            elif tag == b"table-row" and not end:
                self._repeat, self._column, self._widest = times, 0, 0
                if closed:
                    self._row += times
            elif tag == b"table-row":
                if self._widest:
                    extent = self.tables.setdefault(self._name, [0, 0])
                    extent[0], extent[1] = max(extent[0], self._row + self._repeat), max(extent[1], self._widest)
                self._row += self._repeat
            elif not end:  # a cell: laid out when it holds something
                if not closed or b"office:value-type" in attributes:
                    self._widest = max(self._widest, self._column + times)
                self._column += times


class SheetExtents:
    """Every worksheet part's extent (`watch` for `check_unpacked`), then `check` against the limit."""

    def __init__(self):
        self.parts: dict[str, Extent] = {}
        self.ods: OdsExtent | None = None

    def watch(self, part: str):
        if _PART.fullmatch(part):
            return self.parts.setdefault(part, Extent()).feed
        if part == "content.xml":
            self.ods = OdsExtent()
            return self.ods.feed
        return None

    def lost(self, data: bytes) -> dict[str, dict[str, str]]:
        """Sheet name → cell reference → why the reader would drop its value (see `Extent.lost`)."""
        for extent in self.parts.values():
            extent._lost(b"", last=True)
        return {_sheet_named(data, part).removeprefix("sheet "): e.lost for part, e in self.parts.items() if e.lost}

    def check(self, data: bytes, file: str, limits: Limits) -> None:
        """InputError naming the sheet when its grid (A1 to its last value) has more cells than the limit allows."""
        most = max(limits.max_file_bytes // BYTES_A_CELL, 1)
        grids = [(lambda p=part: _sheet_named(data, p), e.rows, e.columns) for part, e in self.parts.items()]
        grids += [(lambda n=name: f"sheet {n}", rows, columns)
                  for name, (rows, columns) in (self.ods.tables if self.ods else {}).items()]
        for sheet, rows, columns in grids:
            cells = rows * columns
            if cells > most:
                from .excel import column_letter
                raise fail(file, f"the sheet's cells reach {column_letter(columns - 1)}{rows}: {rows} rows × {columns} "
                                 f"columns is {cells} cells to lay out, more than the {most} cells (one per "
                                 f"{BYTES_A_CELL} bytes) the limit of {limits.max_file_bytes} bytes allows "
                                 f"{limit_named('max_file_bytes')}; delete the stray cells far from the data", part=sheet())


def _sheet_named(data: bytes, part: str) -> str:
    """`sheet 队员` for a worksheet part, from the workbook's own list of sheets; else `part xl/worksheets/…`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return f"part {part}"
    target = part.removeprefix("xl/")
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid, to = re.search(r'\bId="([^"]*)"', rel), re.search(r'\bTarget="([^"]*)"', rel)
        if rid and to and to.group(1).lstrip("/").removeprefix("xl/") == target:
            for sheet in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
                if re.search(rf'\bid="{re.escape(rid.group(1))}"', sheet):
                    name = re.search(r'\bname="([^"]*)"', sheet)
                    if name:
                        import html
                        return f"sheet {html.unescape(name.group(1))}"
    return f"part {part}"
