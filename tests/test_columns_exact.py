"""columns.exact.divide divides as Python does, where Polars' division by a literal can differ in the last bit."""
import polars as pl
from hypothesis import given, strategies as st

from hongfeng_rules.columns.exact import divide

finite = st.floats(-1e12, 1e12, allow_nan=False)


@given(values=st.lists(st.one_of(finite, st.integers(-2**53, 2**53), st.none()), max_size=20),
       by=st.one_of(st.sampled_from([3600.0, 1_000_000, 3.0, 7]), finite.filter(lambda x: x != 0)))
def test_divide_is_pythons_division(values, by):
    got = pl.DataFrame({"v": values}, schema={"v": pl.Float64}).select(divide(pl.col("v"), by))["v"].to_list()
    assert got == [None if v is None else float(v) / by for v in values]

