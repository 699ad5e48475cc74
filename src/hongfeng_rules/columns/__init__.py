"""The column-wise core (issue 18): rules compiled to Polars expressions over `tables.Tables`.

Contract between the parts (one module per idea):
- `context.ColumnContext`: what every compiled part may read (tables, period, as-of, calendar, a memo).
- `where`: a rule's condition → a Boolean `pl.Expr` whose null is "unknown" (Kleene logic, as the
  per-object `checks.where`); `@name` derived values are columns named "@name" joined on first.
- `derived`: each `@name` of `derived.DERIVED` as a frame (`id`, `value`) over the tables.
- `kinds/`: one module per check kind; `kinds.KINDS[kind](check, subject_collection, subjects, ctx)`
  takes the subject rows (a DataFrame with at least `id`) and returns one row per subject with the
  columns of `kinds.RESULT_SCHEMA`, from which the findings are built at the end.
- `engine`: one rule's result rows; `findings`: the findings built from them, and the subject roll-up.
"""
