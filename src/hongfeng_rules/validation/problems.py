"""How a problem found in a collection is placed: file and line, or a table's sheet, row and cell."""
from __future__ import annotations

from ..errors import Problem, record_label, validation_reason
from ..safe_load import Document, field_path


def where(doc: Document, path: tuple) -> dict:
    """Where `path` is: file and line, or for records read from tables file, sheet, row and cell."""
    locate = getattr(doc, "locate", None)
    return {"file": doc.file, "line": doc.line_of(path)} if locate is None else locate(path)


def from_error(name: str, doc: Document, keys: tuple, data: list, err: dict) -> Problem:
    """A pydantic error (its `loc` starting at the record index) as the Problem that names its place."""
    loc = err["loc"]
    index = loc[0] if loc and isinstance(loc[0], int) else None
    record = data[index] if index is not None and index < len(data) else None
    label = record_label(name, index, record.get("id") if isinstance(record, dict) else None)
    return Problem(**{"reason": validation_reason(err, loc[-1]), "record": label,
                      "field": field_path(loc[1:]), **where(doc, keys + tuple(loc))})


def from_issue(issue, located: dict) -> Problem:
    """A dataset issue (`errors.Issue`) as the Problem that names its file and line (`located`: the document and
    key path of every collection read; an issue is found only in a collection read)."""
    doc, keys = located[issue.collection]
    label = record_label(issue.collection, issue.index, issue.record_id)
    path = keys + ((issue.index,) if issue.index is not None else ())
    place = where(doc, path + ((issue.field,) if issue.field and getattr(doc, "locate", None) else ()))
    return Problem(reason=issue.reason, **{"record": label, "field": issue.field, **place})
