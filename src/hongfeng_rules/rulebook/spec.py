"""The rule-file format: one YAML file per rule, validated strictly (unknown keys are errors)."""
from __future__ import annotations

import functools
import re
import string
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ..checks.registry import CheckSpec
from ..models.base import StrictModel

MODAL_STRENGTH = {"应": "shall", "宜": "should", "可": "may"}
Strength = Literal["shall", "should", "may"]
# name: recorded, else id; nickname: the subject's nickname as typed (a group member's), so a finding shows it
PLACEHOLDERS = {"measured", "expected", "evidence", "count", "subject", "name", "nickname", "note", "due"}


@functools.lru_cache(maxsize=4096)
def clause_key(clause: str) -> tuple:
    """Natural order of clause labels: 5.2.9 < 5.2.10, P1.2 < P2.1."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", clause))


class Text(StrictModel):
    """A sentence in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Interpretation(StrictModel):
    """A phrase of the standard that needs a reading to become a check."""

    phrase: str
    reading: str
    parameter: str | None = None  # the key path in the rule that carries the reading


class Rule(StrictModel):
    """One checkable requirement of one clause."""

    id: str = Field(pattern=r"^[a-z][a-z0-9]*-[0-9A-Za-z.]+(-[a-z0-9]+)+$")
    clause: str = Field(pattern=r"^[0-9A-Z]+(\.[0-9]+)*$")
    strength: Strength
    modal: Literal["应", "宜", "可", "none"]
    reading: str | None = None  # required when modal is "none": why this strength was chosen
    title: Text
    source: Text
    subject: str
    where: dict[str, Any] | None = None
    check: CheckSpec
    message: Text
    interpretations: list[Interpretation] = []
    deprecated: bool = False

    @model_validator(mode="after")
    def _strength_matches_modal(self):
        if self.modal == "none":
            if not self.reading:
                raise ValueError("modal is 'none': say in 'reading' why this strength was chosen")
        elif MODAL_STRENGTH[self.modal] != self.strength:
            raise ValueError(
                f"modal {self.modal} means {MODAL_STRENGTH[self.modal]}, not {self.strength}"
                " (GB/T 1.1-2020: 应 shall, 宜 should, 可 may)"
            )
        if not self.id.split("-")[1].startswith(self.clause.split(".")[0]):
            raise ValueError(f"id {self.id!r} should carry its clause number {self.clause!r}")
        return self

    @field_validator("message")
    @classmethod
    def _known_placeholders(cls, message: Text) -> Text:
        for lang, text in (("zh", message.zh), ("en", message.en)):
            try:  # plain {name} only: no attribute or index access, conversion or format spec
                fields = [(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(text)
                          if name is not None]
            except ValueError as exc:
                raise ValueError(f"message.{lang}: {exc} (write {{{{ and }}}} for literal braces)") from None
            for name, conv, spec in fields:
                if name not in PLACEHOLDERS or conv or spec:
                    raise ValueError(
                        f"message.{lang}: unknown placeholder {{{name}{'!' + conv if conv else ''}"
                        f"{':' + spec if spec else ''}}}; allowed: {sorted(PLACEHOLDERS)}"
                    )
        return message


class PackManifest(StrictModel):
    """`pack.yaml`: what standard (or practice) a folder of rules encodes."""

    pack: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    id_prefix: str = Field(pattern=r"^[a-z][a-z0-9]*$")
    code: str | None = None  # the standard's code, e.g. "T/ZS xxxx—2025"
    title: Text
    version: str
    source_kind: Literal["standard", "local_standard", "group_standard", "article", "practice"]
    source_document: str
    published: date | None = None
    effective: date | None = None
    scope: Text | None = None
    note: Text | None = None
    clauses: dict[str, Text] = {}  # clause heading / text used by reports
    not_checkable: dict[str, str] = {}  # clause -> reason it cannot be checked from data
    evidence_kinds: dict[str, Text] = {}  # Evidence.kind -> what that document or thing is


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill_message(template: str, values: dict) -> str:
    """A rule's message with its placeholders filled; an unknown placeholder stays as written."""
    return template.format_map(_Blank(values)).strip()
