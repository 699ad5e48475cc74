"""columns.exact gives Python's answers: division (Polars' division by a literal can differ in the last bit) and
`datetime.isoformat()` of Shanghai instants (microseconds and offset seconds only when present)."""
from datetime import datetime

import polars as pl
from hypothesis import given, settings, strategies as st

from hongfeng_rules.columns.exact import divide, isoformat
from hongfeng_rules.tables import SHANGHAI_INSTANT
from hongfeng_rules.timecalc import SHANGHAI, as_shanghai

finite = st.floats(-1e12, 1e12, allow_nan=False)


@settings(deadline=None)  # building a frame per example: slow only on a loaded machine
@given(values=st.lists(st.one_of(finite, st.integers(-2**53, 2**53), st.none()), max_size=20),
       by=st.one_of(st.sampled_from([3600.0, 1_000_000, 3.0, 7]), finite.filter(lambda x: x != 0)))
def test_divide_is_pythons_division(values, by):
    got = pl.DataFrame({"v": values}, schema={"v": pl.Float64}).select(divide(pl.col("v"), by))["v"].to_list()
    assert got == [None if v is None else float(v) / by for v in values]



@settings(deadline=None)
@given(st.lists(st.datetimes(datetime(1900, 1, 1), datetime(2199, 12, 31, 23, 59, 59, 999999)).map(
    lambda d: d.replace(tzinfo=SHANGHAI)) | st.none(), max_size=20))
def test_isoformat_is_pythons(instants):
    column = pl.DataFrame({"at": instants}, schema={"at": SHANGHAI_INSTANT})
    assert column.select(isoformat(pl.col("at")))["at"].to_list() == [i and as_shanghai(i).isoformat() for i in instants]
