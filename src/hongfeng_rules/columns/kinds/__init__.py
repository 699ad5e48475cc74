"""Check kinds over tables. Each module gives `evaluate(check, subject_collection, subjects, ctx)`:
`subjects` is the plan of the subject rows, every column of their table (`engine._subjects`: rows filtered,
extras added, none dropped); the result is a plan of one row per subject, in any order, with the columns below,
or a `result.Finish` (its rows in the subjects' order). `measured` may be any dtype (the kind's natural one); the
finding takes its Python value. Statuses are those of `checks.outcome.Outcome` ("pass", "fail", "not_assessable",
"not_applicable", "pending"); `note` is the English note the per-object Outcome carries."""
from __future__ import annotations

from typing import Callable

import polars as pl

from ..context import ColumnContext
from ...tables.schema import SHANGHAI_INSTANT

RESULT_SCHEMA = {"id": pl.String, "status": pl.String, "expected": pl.String, "evidence": pl.List(pl.String),
                 "note": pl.String, "due": SHANGHAI_INSTANT}  # plus `measured`, of the kind's own dtype

IN_ORDER = {"every", "document", "count"}  # kinds whose plans give the subjects' rows in their order (per_subject)
Evaluate = Callable[[object, str, pl.DataFrame, ColumnContext], pl.DataFrame]
KINDS: dict[str, Evaluate] = {}  # kind name -> evaluate; each kinds/<kind>.py registers itself here
# the dtype of `measured` in each kind's plans (a `result.Finish` has its frame's): the plans' schema is declared
# (`result.result_schema`), not resolved (resolving a plan's schema costs ~0.1-0.3 ms)
MEASURED_TYPE: dict[str, pl.DataType] = {}
# kinds that evaluate several rules over the same subjects in one plan: evaluate_many([(index, check), ...],
# subject_collection, subjects, ctx) -> a plan of `rule` (the index, UInt32) and the result columns, the checks in
# the order given and the subjects in theirs within each (planning a query costs more than running it on a team)
MANY: dict[str, Callable[[list, str, pl.LazyFrame, ColumnContext], pl.LazyFrame]] = {}
ALONE: dict[str, Callable[[object], bool]] = {}  # kind -> which of its checks `MANY` leaves to `KINDS` (evaluated alone)
# the derived kinds (levels, ranking): derive(check, subject_collection, subjects, ctx) -> their results
# (derived_results.MemberLevel / TeamTitle, `rule_id` and `clause` left to the collector), in the subjects' order
DERIVES: dict[str, Callable[[object, str, pl.DataFrame, ColumnContext], list]] = {}

from . import frequency  # noqa: E402,F401  (each import registers a kind)
from . import deadline  # noqa: E402,F401
from . import rank_within  # noqa: E402,F401
from . import levels  # noqa: E402,F401
from . import ranking  # noqa: E402,F401
from . import count  # noqa: E402,F401
from . import share  # noqa: E402,F401
from . import mean  # noqa: E402,F401
from . import every  # noqa: E402,F401
from . import document  # noqa: E402,F401
