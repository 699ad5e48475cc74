"""The column-wise core (issue 18): rules compiled to Polars expressions over `tables.Tables`.

Contract between the parts (one module per idea):
- `context.ColumnContext`: what every compiled part may read (tables, period, as-of, calendar, a memo, and
  the frames several rules share, each collected once per audit).
- `where`: a rule's condition → a Boolean `pl.Expr` whose null is "unknown" (Kleene logic, as the
  per-object `checks.where`); `@name` derived values are columns named "@name" joined on first.
- `select`: the records a check's selection links to each subject; `derived`: each `@name` of
  `derived.DERIVED` as a frame (`id`, `value`); `calendar`: working days as a table.
- `kinds/`: one module per check kind; `kinds.KINDS[kind](check, subject_collection, subjects, ctx)`
  takes the subject rows (a LazyFrame with at least `id`) and returns the plan of one row per subject with
  the columns of `kinds.RESULT_SCHEMA` (or a `kinds.result.Finish`: a plan Python finishes).
- `engine.evaluate_all`: every rule's result rows as one frame (a `rule` column says whose); `findings`: the
  findings of all rules built from it at once, and the subject roll-up.
"""
