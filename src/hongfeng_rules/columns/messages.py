"""The messages of failing findings (and of any other without a note: not assessable, pending with no due
instant) as columns: each rule's message template is split once into literal text and placeholders
(`pieces`), and every row's placeholders are filled in one plan (`filled`), giving the text of
`auditing.message_of` (`rulebook.spec.fill_message`: `str.format_map`, an unknown placeholder kept as written,
then `str.strip`). A template that Python would read in some other way (a format spec, a conversion, an index,
a positional field) is left to `message_of`, and so are the pending findings with a due instant (the time
left)."""
from __future__ import annotations

import string
from functools import lru_cache

import polars as pl

from ..report.finding_rows import json_text
from .context import PLAN_FLAGS
from .exact import isoformat

FIELDS = ("measured", "expected", "evidence", "count", "subject", "name", "note", "nickname", "due")
LANGS = ("zh", "en")
# the characters `str.strip()` removes (`str.isspace`; Polars' default set differs: \x1c-\x1f)
SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
         "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_INNER, _KEY = "\n        ", "\n      "  # a message block's keys and its closing brace (finding_rows.message_block)


@lru_cache(maxsize=4096)
def pieces(template: str) -> tuple[tuple[str | None, str | None], ...] | None:
    """The template as (literal text, None) and (None, placeholder) pieces, an unknown placeholder as its literal
    `{name}`; None when Python fills it otherwise (`str.format_map` would apply a spec, a conversion, an index or
    raise)."""
    out: list[tuple[str | None, str | None]] = [("", None)]  # at least one piece: an empty message is a row too
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, name, spec, conversion in parsed:
        if literal:
            out.append((literal, None))
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            return None
        out.append((None, name) if name in FIELDS else ("{" + name + "}", None))
    return tuple(out)


def columnar(rule) -> bool:
    """Whether `filled` makes the rule's messages (both templates are plain)."""
    return all(pieces(getattr(rule.rule.message, lang)) is not None for lang in LANGS)


def filled(rules: list, rows: pl.DataFrame, measured: list[str], text) -> pl.Series:
    """The message block (finding_rows.message_block) of each row (`rule`, `status`, `expected`, `evidence`,
    `note`, `due`, `id`, `name`, `nickname` and the `measured` columns; every row's rule `columnar`), in the rows'
    order. `text(value, lang)` is a placeholder's text of a measured, expected or note value (message_of's),
    asked once per distinct value (a float each time: -0.0 == 0.0)."""
    parts = _parts(tuple(tuple(getattr(r.rule.message, lang) for lang in LANGS) for r in rules))
    values = {"measured": [next((v for v in row if v is not None), None) for row in rows.select(measured).iter_rows()]
              if measured else [None] * rows.height,
              "expected": rows["expected"].to_list(), "note": [v or "" for v in rows["note"].to_list()]}
    known: dict = {}

    def texted(value, lang: str) -> str:
        if type(value) is float:
            return text(value, lang)
        key = (type(value), value, lang)
        if key not in known:
            known[key] = text(value, lang)
        return known[key]
    wide = rows.lazy().select(*_row_columns(), *(
        pl.lit(pl.Series(f"{name}:{lang}", [texted(v, lang) for v in column], dtype=pl.String))
        for name, column in values.items() for lang in LANGS))
    long = wide.join(parts.lazy(), on="rule", how="inner", maintain_order="left_right")
    return long.group_by("_at", maintain_order=True).agg(_block()).collect(optimizations=PLAN_FLAGS)["message"]


@lru_cache(maxsize=64)
def _parts(templates: tuple[tuple[str, ...], ...]) -> pl.DataFrame:
    """(`rule`, `lang`, `literal`, `field`): each rule's pieces (those of a template that is not plain: none)."""
    table: dict[str, list] = {"rule": [], "lang": [], "literal": [], "field": []}
    for r, texts in enumerate(templates):
        for lang, template in zip(LANGS, texts):
            for literal, name in pieces(template) or ():
                table["rule"].append(r), table["lang"].append(lang)
                table["literal"].append(literal), table["field"].append(name)
    return pl.DataFrame(table, schema={"rule": pl.UInt32, "lang": pl.String, "literal": pl.String,
                                       "field": pl.String})


@lru_cache(maxsize=1)
def _row_columns() -> list[pl.Expr]:
    """The placeholders' texts that are the same in both languages, and the row's index and rule."""
    evidence = pl.col("evidence")
    return [pl.int_range(pl.len(), dtype=pl.UInt32).alias("_at"), pl.col("rule"),
            (evidence.list.head(10).list.join(", ")
             + pl.when(evidence.list.len() > 10).then(pl.lit(" …")).otherwise(pl.lit(""))).alias("evidence"),
            evidence.list.len().cast(pl.String).alias("count"), pl.col("id").alias("subject"),
            pl.when(pl.col("name").fill_null("") == "").then(pl.col("id")).otherwise(pl.col("name")).alias("name"),
            pl.col("nickname").fill_null(""), isoformat(pl.col("due")).fill_null("").alias("due")]


@lru_cache(maxsize=1)
def _block() -> pl.Expr:
    """A row's message block from its pieces (`literal`, or the text of its `field` in its `lang`)."""
    value = pl.col("literal")
    for name in FIELDS:
        here = (pl.when(pl.col("lang") == "zh").then(pl.col(f"{name}:zh")).otherwise(pl.col(f"{name}:en"))
                if name in ("measured", "expected", "note") else pl.col(name))
        value = value.fill_null(pl.when(pl.col("field") == name).then(here))
    message = {lang: json_text(value.filter(pl.col("lang") == lang).str.join("").str.strip_chars(SPACE))
               for lang in LANGS}
    return pl.concat_str(pl.lit("{" + _INNER + '"zh": '), message["zh"], pl.lit("," + _INNER + '"en": '),
                         message["en"], pl.lit(_KEY + "}")).alias("message")
