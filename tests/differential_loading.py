"""A pytest plugin (`-p differential_loading`): every dataset load of the tests runs twice, through the
product's column-wise `tables.load.load_tables_located` (which `load_dataset`, `load_tables` and the CLI all
go through) and through the per-object oracle (tests/oracle/loading.py), which must give the same problems or
the same tables (tests/test_load_tables.py runs the loading, hostile, fuzz and sources suites so)."""
import pytest


@pytest.fixture(autouse=True)
def _both_loaders(request, monkeypatch):
    from oracle import loading as object_loading
    from hongfeng_rules import cli, errors
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables import from_dataset
    from hongfeng_rules.tables import load as table_loading

    original = table_loading.load_tables_located

    def compared(path, *args, **kwargs):
        """load_tables_located's result, once the oracle agrees: the same problems, or the same tables."""
        try:
            expected = object_loading.load_located(path, *args, **kwargs)
        except errors.InputError as old:
            try:
                original(path, *args, **kwargs)
            except errors.InputError as new:
                assert new.problems == old.problems, (path, new.problems, old.problems)
            else:
                raise AssertionError(f"load_tables accepted {path}, which the per-object loader refuses") from None
            raise
        found, tables = original(path, *args, **kwargs), from_dataset(expected[0])
        for name in COLLECTIONS:
            a, b = found[0].get(name), tables.get(name)
            assert (a is None) == (b is None) and (a is None or a.equals(b)), (path, name)
        return found

    monkeypatch.setattr(table_loading, "load_tables_located", compared)  # loading and tables.load call it by name
    for module in (cli, request.module):
        if hasattr(module, "load_tables_located"):
            monkeypatch.setattr(module, "load_tables_located", compared)
        if hasattr(module, "load_tables"):
            monkeypatch.setattr(module, "load_tables", lambda *a, **k: compared(*a, **k)[0])
    yield
