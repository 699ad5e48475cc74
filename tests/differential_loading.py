"""A pytest plugin (`-p differential_loading`): every dataset load of the tests runs twice, through
`load_dataset` and through `load_tables`, which must give the same problems or the same tables
(tests/test_load_tables.py runs the loading, hostile, fuzz and sources suites so)."""
import pytest


@pytest.fixture(autouse=True)
def _both_loaders(request, monkeypatch):
    from hongfeng_rules import cli, errors, loading
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables import from_dataset, load_tables

    original = loading.load_located

    def load_located(path, *args, **kwargs):
        try:
            found = original(path, *args, **kwargs)
        except errors.InputError as old:
            try:
                load_tables(path, *args, **kwargs)
            except errors.InputError as new:
                assert new.problems == old.problems, (path, new.problems, old.problems)
            else:
                raise AssertionError(f"load_tables accepted {path}, which load_dataset refuses") from None
            raise
        tables, expected = load_tables(path, *args, **kwargs), from_dataset(found[0])
        for name in COLLECTIONS:
            a, b = tables.get(name), expected.get(name)
            assert (a is None) == (b is None) and (a is None or a.equals(b)), (path, name)
        return found

    def load_dataset(path, *args, **kwargs):
        return load_located(path, *args, **kwargs)[0]

    for module in (loading, cli, request.module):
        for name, value in (("load_located", load_located), ("load_dataset", load_dataset)):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)
    import hongfeng_rules
    monkeypatch.setattr(hongfeng_rules, "load_dataset", load_dataset)
    yield
