"""What the loading tests compare: the column-wise loading's outcome against the per-object oracle's
(tests/oracle/loading.py): the same problems (every field of every Problem, in order), or equal tables."""
from hongfeng_rules import InputError
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.safe_load import Limits
from hongfeng_rules.tables import Tables, from_dataset
from hongfeng_rules.tables.load import load_tables
from oracle.loading import load_dataset


def outcome(load, *args) -> tuple:
    """("ok", tables) or ("problems", every Problem) of `load(*args)`; a Dataset as its tables."""
    try:
        found = load(*args)
    except InputError as exc:
        return "problems", exc.problems
    return "ok", found if isinstance(found, Tables) else from_dataset(found)


def assert_same_outcome(found: tuple, expected: tuple, context=None) -> None:
    """Both refused with the same problems, or both loaded into equal tables."""
    assert found[0] == expected[0], (context, found, expected)
    if found[0] == "problems":
        assert found[1] == expected[1], context
    else:
        for name in COLLECTIONS:
            a, b = found[1].get(name), expected[1].get(name)
            assert (a is None) == (b is None) and (a is None or a.equals(b)), (context, name)


def same(path, limits: Limits = Limits()) -> tuple:
    """`load_tables(path)` gives what the oracle's `load_dataset(path)` gives; the oracle's outcome."""
    expected = outcome(load_dataset, path, limits)
    assert_same_outcome(outcome(load_tables, path, limits), expected, path)
    return expected
