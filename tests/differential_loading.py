"""A pytest plugin (`-p differential_loading`): every dataset load of the tests runs twice, through
`load_dataset` and through `load_tables`, which must give the same problems or the same tables,
whichever of the two the code under test calls (the CLI loads tables) (tests/test_load_tables.py runs the
loading, hostile, fuzz and sources suites so)."""
import pytest


@pytest.fixture(autouse=True)
def _both_loaders(request, monkeypatch):
    from hongfeng_rules import cli, errors, loading
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables import from_dataset

    from hongfeng_rules.tables.load import load_tables_located as original_tables

    original = loading.load_located

    def compared(path, *args, **kwargs):
        """(load_located's result, load_tables_located's): the same problems, or the same tables."""
        try:
            found = original(path, *args, **kwargs)
        except errors.InputError as old:
            try:
                original_tables(path, *args, **kwargs)
            except errors.InputError as new:
                assert new.problems == old.problems, (path, new.problems, old.problems)
            else:
                raise AssertionError(f"load_tables accepted {path}, which load_dataset refuses") from None
            raise
        tables, expected = original_tables(path, *args, **kwargs), from_dataset(found[0])
        for name in COLLECTIONS:
            a, b = tables[0].get(name), expected.get(name)
            assert (a is None) == (b is None) and (a is None or a.equals(b)), (path, name)
        return found, tables

    replacements = {"load_located": lambda *a, **k: compared(*a, **k)[0],
                    "load_dataset": lambda *a, **k: compared(*a, **k)[0][0],
                    "load_tables_located": lambda *a, **k: compared(*a, **k)[1],  # the CLI's loader
                    "load_tables": lambda *a, **k: compared(*a, **k)[1][0]}
    for module in (loading, cli, request.module):
        for name, value in replacements.items():
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    import hongfeng_rules
    monkeypatch.setattr(hongfeng_rules, "load_dataset", replacements["load_dataset"])
    yield
