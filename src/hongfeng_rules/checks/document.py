"""`document`: documentary evidence of a kind exists for the subject and is valid on the reference date."""
from __future__ import annotations

from typing import Literal

from ..models import COLLECTIONS
from ..models.base import StrictModel


class DocumentCheck(StrictModel):
    kind: Literal["document"]
    document: str
    must_be_valid: bool = True

    def validate(self, subject_collection: str) -> None:
        via = f"{COLLECTIONS[subject_collection].kind}_id"
        if via not in COLLECTIONS["evidence"].model.model_fields:
            raise ValueError(f"evidence cannot be linked to a {COLLECTIONS[subject_collection].kind}")

    def needs(self) -> set[str]:
        return {"evidence"}
