"""`document`: documentary evidence of a kind exists for the subject and is valid on the reference date."""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..models.base import StrictModel
from .outcome import Outcome


class DocumentCheck(StrictModel):
    kind: Literal["document"]
    document: str
    must_be_valid: bool = True

    def compile(self, subject_collection: str):
        via = f"{COLLECTIONS[subject_collection].kind}_id"
        if via not in COLLECTIONS["evidence"].model.model_fields:
            raise ValueError(f"evidence cannot be linked to a {COLLECTIONS[subject_collection].kind}")

        def evaluate(subject, ctx) -> Outcome:
            docs = [d for d in ctx.index.related("evidence", via, subject.id) if d.kind == self.document]
            if not docs:
                return Outcome("fail", "none", self.document, note="no record of this kind")
            day = ctx.reference_date
            valid = [d for d in docs if (d.issued_on is None or d.issued_on <= day)
                     and (d.valid_until is None or d.valid_until >= day)]
            if self.must_be_valid and not valid:
                return Outcome("fail", "not valid on " + day.isoformat(), self.document, [d.id for d in docs],
                               note="the document is expired or not yet issued")
            return Outcome("pass", self.document, self.document, [d.id for d in valid or docs])

        return evaluate

    def needs(self) -> set[str]:
        return {"evidence"}
