"""The Excel template a county fills in (written with openpyxl); reading it back needs no mapping.

One sheet per collection the packs need, headed in Chinese with the field's name, kind and allowed
values in the header's comment; drop-downs for choices and yes/no, date cells, whole and decimal
numbers; an instructions sheet first. With a dataset, the sheets are filled with its records.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import fail
from ..models import COLLECTIONS, Dataset
from ..output import write_atomic
from ..timecalc import as_shanghai
from .excel import column_letter
from .fields import SHEET_NAMES, Field, fields_of
from .mapping import INSTRUCTIONS_SHEET
from .tabulate import present, rows

CORE = ("associations", "teams", "units", "members")  # what every other sheet refers to
KIND_WORDS = {"text": "文本 text", "whole": "整数 whole number", "number": "数字 number", "yes_no": "是/否 yes/no",
              "date": "日期 date (2025-03-01)", "instant": "日期时间 date and time (2025-03-01 09:30)",
              "choice": "选项 choice", "list": "多项，以；分隔 several, separated by ;",
              "json": "JSON 列表 a JSON list of records"}
DATE_FORMAT, INSTANT_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
EMPTY_ROWS = 1000  # rows below the data that carry the validations and formats


def collections_for(packs, dataset: Dataset | None = None) -> list[str]:
    """The sheets: what the packs' rules need and the core collections; filled from a dataset, what it gives, and
    no more (a header-only sheet reads back as a collection without records: "not provided" would become "none",
    and rules not assessable would pass or fail)."""
    wanted = set(present(dataset)) if dataset is not None else (
        set(CORE) | {c for pack in packs for rule in pack.rules for c in rule.needs})
    return [c for c in COLLECTIONS if c in wanted]


def write_template(out: str, packs, dataset: Dataset | None = None) -> None:
    from . import need
    need("openpyxl", out)
    from openpyxl import Workbook

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    collections = collections_for(packs, dataset)
    _instructions(instructions, collections)
    for collection in collections:
        _sheet(workbook.create_sheet(SHEET_NAMES[collection]), collection, dataset)
    import io
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        write_atomic(out, buffer.getvalue())
    except OSError as exc:
        raise fail(out, f"cannot write: {exc.strerror or exc}") from None


def _instructions(ws, collections: list[str]) -> None:
    from openpyxl.styles import Font
    ws.append(["填写说明 How to fill in this workbook"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in [
        "每个工作表是一类记录，每行一条记录；第一行是表头，不要改动表头（批注中是英文字段名）。",
        "One sheet per kind of record, one record per row; keep the header row (its comments name the fields).",
        "日期写成 2025-03-01，日期时间写成 2025-03-01 09:30；多项用分号（;）分隔；是/否从下拉列表选择。",
        "Dates as 2025-03-01, times as 2025-03-01 09:30; several items separated by ';'; yes/no from the drop-down.",
        "某类记录确实没有：只留表头（读作“无”，相关条款据此判定）；某类情况未收集：删除该工作表（相关条款为“无法评估”）。",
        "No records of a kind: keep its header row alone (read as none, and judged so); a kind not collected: delete "
        "its sheet (the clauses needing it are not assessable).",
        "检查：hongfeng-rules check 本文件.xlsx （无需映射文件 no mapping needed）",
        "",
    ]:
        ws.append([line])
    ws.append(["工作表 sheet", "表头 header", "字段 field", "类型 kind", "必填 required", "可选值 allowed values"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for collection in collections:
        for f in fields_of(collection).values():
            ws.append([SHEET_NAMES[collection], f.header, f"{collection}.{f.path}", KIND_WORDS[f.kind],
                       "是" if f.required else "", ", ".join(f.choices)])
    for letter, width in zip("ABCDEF", (14, 22, 36, 30, 10, 60)):
        ws.column_dimensions[letter].width = width


def _sheet(ws, collection: str, dataset: Dataset | None) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    fields = list(fields_of(collection).values())
    ws.append([f.header for f in fields])
    for i, f in enumerate(fields):
        cell = ws.cell(row=1, column=i + 1)
        cell.font = Font(bold=True)
        if f.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        note = f"{f.path}\n{KIND_WORDS[f.kind]}" + ("\n必填 required" if f.required else "")
        if f.choices:
            note += "\n" + ", ".join(f.choices)
        cell.comment = Comment(note, "hongfeng-rules", width=260, height=120)
        ws.column_dimensions[column_letter(i)].width = max(10, min(40, 2 * len(f.header) + 4))
    ws.freeze_panes = "A2"
    filled = 0
    if dataset is not None:
        for values in rows(dataset, collection, native=True):
            ws.append([_excel(v, f) for v, f in zip(values, fields)])
            filled += 1
    last = filled + 1 + EMPTY_ROWS
    for i, f in enumerate(fields):
        _validate(ws, f, column_letter(i), last)
        if f.kind in ("date", "instant"):
            for row in ws.iter_rows(min_row=2, max_row=last, min_col=i + 1, max_col=i + 1):
                row[0].number_format = DATE_FORMAT if f.kind == "date" else INSTANT_FORMAT


def _excel(value: Any, field: Field) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return as_shanghai(value).replace(tzinfo=None)  # Excel has no time zones; naive reads as Asia/Shanghai
    return value


def _validate(ws, f: Field, letter: str, last: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    where = f"{letter}2:{letter}{last}"
    if f.kind == "choice":
        rule = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True)
    elif f.kind == "yes_no":
        rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    elif f.kind == "date":
        rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    elif f.kind == "whole":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="-1000000", allow_blank=True)
    elif f.kind == "number":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="-1000000", allow_blank=True)
    else:
        return
    rule.error, rule.errorTitle = f"{f.header}: {KIND_WORDS[f.kind]}", f.path
    rule.showErrorMessage = True
    ws.add_data_validation(rule)
    rule.add(where)
