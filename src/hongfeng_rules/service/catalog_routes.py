"""What the service can check: packs, their rules (with the clause's text and readings), and the
JSON Schemas of the dataset and the report (those `hongfeng-rules schema` prints)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from ..models import Dataset
from ..report.model import ComplianceReport
from .problems import Refused, responses

ERRORS = responses(401, 403, 404, 422)


def router(catalog: dict, auth) -> APIRouter:
    r = APIRouter(tags=["catalog"], dependencies=[Depends(auth("audit"))])
    rules = {cr.rule.id: (pack, cr) for pack in catalog.values() for cr in pack.rules}

    def pack_of(name: str):
        if name not in catalog:
            raise Refused(404, f"no pack {name!r}; this service offers: {sorted(catalog)}")
        return catalog[name]

    @r.get("/v1/packs", summary="The packs this service offers", responses=ERRORS)
    def packs() -> list[dict]:
        return [{"pack": p.name, "version": p.manifest.version, "code": p.manifest.code,
                 "title": p.manifest.title.model_dump(), "source_kind": p.manifest.source_kind,
                 "source_document": p.manifest.source_document, "rules": len(p.rules)} for p in catalog.values()]

    @r.get("/v1/packs/{pack}/rules", summary="A pack's rules", responses=ERRORS)
    def pack_rules(pack: str = Path(max_length=100)) -> list[dict]:
        return [_summary(cr) for cr in pack_of(pack).rules]

    @r.get("/v1/rules/{rule_id}", summary="One rule, with its clause's text and the readings it needed",
           responses=ERRORS)
    def rule(rule_id: str = Path(max_length=200)) -> dict:
        if rule_id not in rules:
            raise Refused(404, f"no rule {rule_id!r} in the packs of this service")
        pack, cr = rules[rule_id]
        clause = pack.manifest.clauses.get(cr.rule.clause)
        return {"pack": pack.name, "pack_version": pack.manifest.version,
                "clause_text": clause.model_dump() if clause else None, **cr.rule.model_dump(mode="json")}

    @r.get("/v1/schema/dataset", summary="The JSON Schema of a dataset", responses=ERRORS)
    def dataset_schema() -> dict:
        return Dataset.model_json_schema()

    @r.get("/v1/schema/report", summary="The JSON Schema of a report", responses=ERRORS)
    def report_schema() -> dict:
        return ComplianceReport.model_json_schema()

    return r


def _summary(cr) -> dict:
    spec = cr.rule
    return {"id": spec.id, "clause": spec.clause, "strength": spec.strength, "subject": spec.subject,
            "kind": spec.check.kind, "title": spec.title.model_dump(), "deprecated": spec.deprecated}
