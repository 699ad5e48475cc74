"""`load_tables` against the per-object loader (tests/oracle/loading.py, the oracle): the same tables for valid input, the same problems (every field of
every Problem, in the same order) for every hostile, broken and invalid input."""
import copy
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hongfeng_rules import InputError, loading
from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.safe_load import Limits
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.tables.load import load_tables, load_tables_located
from hongfeng_rules.validation.fields import model_specs
from hongfeng_rules.validation.model_checks import MODEL_CHECKS
from oracle.loading import dataset_from_document, load_dataset, load_located
from same_outcome import assert_same_outcome, outcome, same

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = sorted((ROOT / "tests" / "hostile" / "datasets").iterdir())
EXAMPLES = ["hongfeng", "gucheng", "yunge", "keqiao-zhucun", "hongfeng-csv", "hongfeng-xlsx/hongfeng.xlsx"]
TIGHT = Limits(max_file_bytes=4000, max_records=3, max_alias_expansions=5, max_depth=4)


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
@pytest.mark.parametrize("limits", [Limits(), TIGHT], ids=["default-limits", "tight-limits"])
def test_hostile_inputs_give_the_same_problems(path, limits):
    same(path, limits)


@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_give_the_same_tables(example):
    assert same(ROOT / "examples" / example)[0] == "ok"


@pytest.mark.parametrize("example", EXAMPLES)
def test_load_dataset_is_the_tables_converted_once_to_the_oracles_dataset(example):
    """The product's `load_dataset` (column-wise, then one conversion) gives the per-object loader's Dataset."""
    found, expected = loading.load_dataset(ROOT / "examples" / example), load_dataset(ROOT / "examples" / example)
    for name in COLLECTIONS:
        a, b = getattr(found, name), getattr(expected, name)
        assert (a is None) == (b is None) and [r.model_dump() for r in a or []] == [r.model_dump() for r in b or []]
        assert all(type(r) is type(s) for r, s in zip(a or [], b or []))


def test_every_public_dataset_loader_validates_column_wise(monkeypatch):
    """load_dataset, load_upload and load_frames all go through the one column-wise build (tables.load.build)."""
    from hongfeng_rules import load_frames, load_upload
    from hongfeng_rules.tables import load as table_loading

    calls = []
    real = table_loading.build
    monkeypatch.setattr(table_loading, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    data = json.dumps({"teams": BASE["teams"]}).encode()
    loading.load_dataset(ROOT / "examples" / "hongfeng")
    load_upload(data, "dataset.json")
    pytest.importorskip("pyarrow")
    import polars as pl
    load_frames({"teams": pl.DataFrame(BASE["teams"])})
    assert len(calls) == 3


def test_located_records_are_where_load_located_finds_them():
    tables, where = load_tables_located(ROOT / "examples" / "hongfeng")
    dataset, old = load_located(ROOT / "examples" / "hongfeng")
    for name in ("members", "activities", "trainings"):
        for rid in tables.get(name)["id"].to_list()[::97]:
            assert where(name, rid) == old(name, rid)
    assert where("members", "nobody") == old("members", "nobody") and where("places", "x") is None


def test_a_merged_duplicate_key_is_still_found(tmp_path):
    """The fast reader keeps one of two equal keys; the keys written in the text give it away."""
    text = (ROOT / "tests" / "hostile" / "datasets" / "valid.json").read_text() if (
        ROOT / "tests" / "hostile" / "datasets" / "valid.json").exists() else (ROOT / "tests" / "hostile" / "valid.json").read_text()
    data = json.loads(text)
    member = json.dumps(data["members"][0], ensure_ascii=False)
    doubled = member.replace('"name":', '"name": "X", "name":', 1)
    path = tmp_path / "d.json"
    path.write_text(text.replace(member, doubled, 1) if member in text else json.dumps(data).replace(
        json.dumps(data["members"][0]), json.dumps(data["members"][0]).replace('"name":', '"name": "X", "name":', 1), 1))
    kind, problems = same(path)
    assert kind == "problems" and "duplicate key 'name'" in problems[0].reason


# ---------------------------------------------------------------------------------------- generated

BASE = json.loads((ROOT / "tests" / "hostile" / "valid.json").read_text(encoding="utf-8"))
ODD = [None, "", " x ", "x\u200b", True, False, 0, 3, 3.0, 3.5, -1, 10 ** 20, "3", "2025-02-30", "2025-03-01",
       "2025-03-01T00:00:00", "2025-03-01T24:00:00", "2025-03-01 08:00", "1899-12-31", "2200-01-01",
       "1900-01-01T00:00:00", "2199-12-31T23:59:59-05:00", "active", "patrol", "ghost", [], ["x"], {}, {"a": 1},
       [{"member_id": "m1", "hours": -2}], "t1", "m1", "2025-13"]


@st.composite
def broken(draw):
    data = copy.deepcopy(BASE)
    names = [n for n in data if isinstance(data[n], list) and data[n]]
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(names))
        records = data[name]
        i = draw(st.integers(0, len(records) - 1))
        action = draw(st.sampled_from(["set", "drop", "extra", "copy", "swap"]))
        record = records[i]
        if not isinstance(record, dict):
            continue
        fields = list(COLLECTIONS[name].model.model_fields)
        field = draw(st.sampled_from(fields))
        if action == "set":
            record[field] = draw(st.sampled_from(ODD))
        elif action == "drop":
            record.pop(field, None)
        elif action == "extra":
            record["colour"] = "red"
        elif action == "copy":
            records.append(copy.deepcopy(record))
        elif "start" in record and "end" in record:
            record["start"], record["end"] = record["end"], record["start"]
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=broken(), fmt=st.sampled_from(["json", "yaml", "folder"]))
def test_generated_bad_records_give_the_same_problems(tmp_path_factory, data, fmt):
    base = tmp_path_factory.mktemp("gen")
    if fmt == "folder":
        for name, records in data.items():
            (base / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        same(base)
    elif fmt == "json":
        (base / "d.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        same(base / "d.json")
    else:
        (base / "d.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        same(base / "d.yaml")


def _models():
    seen, todo = set(), [c.model for c in COLLECTIONS.values()]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for spec in model_specs(model):
            s = spec.spec.item if spec.spec.kind == "list" else spec.spec
            if s.kind == "struct":
                todo.append(s.model)
    return seen


def test_every_model_validator_has_its_column_check():
    wanted = {(m, name) for m in _models() for name in m.__pydantic_decorators__.model_validators}
    assert wanted and wanted == set(MODEL_CHECKS)


def test_a_validator_without_a_column_check_is_refused():
    from typing import Annotated

    from pydantic import AfterValidator, BaseModel

    class Odd(BaseModel):
        x: Annotated[str, AfterValidator(str.upper)]
    with pytest.raises(TypeError, match="no column-wise check for the validator"):
        model_specs(Odd)


# ---------------------------------------------------------------------------------------- typed Parquet

def test_parquet_with_the_tables_schema_reads_back_the_same_tables(tmp_path):
    from hongfeng_rules.tables.parquet import write_parquet

    tables = load_tables(ROOT / "examples" / "hongfeng")
    write_parquet(tables, tmp_path)
    again = load_tables(tmp_path)
    for name in COLLECTIONS:
        a, b = tables.get(name), again.get(name)
        assert (a is None) == (b is None) and (a is None or a.equals(b)), name
    single = load_tables(tmp_path / "members.parquet")
    assert single.get("members").equals(tables.get("members")) and single.get("teams") is None


def test_parquet_values_are_checked_in_place(tmp_path):
    import polars as pl
    from hongfeng_rules.tables.parquet import write_parquet

    tables = load_tables(ROOT / "examples" / "hongfeng")
    write_parquet(tables, tmp_path)
    row = pl.int_range(pl.len())
    members = tables.get("members").with_columns(
        pl.when(row == 3).then(pl.lit(" padded ")).otherwise(pl.col("name")).alias("name"),  # stripped, kept
        pl.when(row == 4).then(pl.lit("")).otherwise(pl.col("id")).alias("id"),
        pl.when(row == 5).then(pl.lit("t\u200b")).otherwise(pl.col("unit_id")).alias("unit_id"))
    members.write_parquet(tmp_path / "members.parquet")
    with pytest.raises(InputError) as exc:
        load_tables(tmp_path)
    found = [(p.row, p.field, p.reason) for p in exc.value.problems]
    assert found[0] == ("5", "id", "String should have at least 1 character")
    assert found[1][:2] == ("6", "unit_id") and "U+200B" in found[1][2] and len(found) == 2
    tables.get("members").with_columns(pl.when(row == 3).then(pl.lit(" padded ")).otherwise(pl.col("name"))
                                       .alias("name")).write_parquet(tmp_path / "members.parquet")
    loaded = load_tables(tmp_path)  # references still resolve: the padded name is read as the model strips it
    assert loaded.get("members")["name"][3] == "padded"


def test_a_parquet_file_in_the_table_convention_is_read_as_a_table(tmp_path):
    """Lists as text and nested fields as dotted columns: the sources' way, with load_dataset's result."""
    from hongfeng_rules.sources.tabulate import present, to_parquet

    dataset = load_dataset(ROOT / "examples" / "hongfeng")
    for name in present(dataset):
        to_parquet(dataset, name, str(tmp_path / f"{name}.parquet"))
    assert same(tmp_path)[0] == "ok"


@pytest.mark.parametrize("as_of", ["2025-03-01T00:00:00+08:00", "2025-06-30T23:59:59+08:00", "2024-01-01T00:00:00+08:00"])
def test_future_records_are_found_column_wise(as_of):
    from datetime import datetime

    from oracle.integrity import records_after as per_record
    from hongfeng_rules.validation.future import records_after

    when = datetime.fromisoformat(as_of)
    dataset = load_dataset(ROOT / "examples" / "hongfeng")
    expected = per_record(dataset, when)
    assert expected and records_after(from_dataset(dataset), when) == expected
    assert records_after(from_dataset(dataset), when, limit=3) == per_record(dataset, when, limit=3)


@pytest.mark.parametrize("seed,rate", [(3, 0.1), (11, 0.5)])
def test_generated_provinces_give_the_same_tables(tmp_path, seed, rate):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.write(gen.generate(4, seed=seed, violation_rate=rate), tmp_path)
    assert same(tmp_path)[0] == "ok"


@pytest.mark.parametrize("written", ['"name" : "X", "name":', '"name"\n:"X","name":', '"name":"X","name":'])
def test_a_merged_duplicate_key_is_found_however_it_is_spaced(tmp_path, written):
    text = (ROOT / "tests" / "hostile" / "valid.json").read_text(encoding="utf-8")
    assert '"name":' in text.replace('"name": ', '"name":')
    path = tmp_path / "d.json"
    path.write_text(text.replace('"name": ', '"name":').replace('"name":', written, 1), encoding="utf-8")
    kind, problems = same(path)
    assert kind == "problems" and "duplicate key 'name'" in problems[0].reason


def test_a_value_that_looks_like_a_key_is_only_a_value(tmp_path):
    """Text with '":' inside a string makes the keys written look more: the strict reader confirms, and passes."""
    data = json.loads((ROOT / "tests" / "hostile" / "valid.json").read_text(encoding="utf-8"))
    data["teams"][0]["name"] = 'the "a": team'
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert same(path)[0] == "ok"


def test_a_hosts_plain_data_is_validated_into_the_same_tables():
    from hongfeng_rules.safe_load import Document
    from hongfeng_rules.tables import tables_from_data

    data = copy.deepcopy(BASE)
    found = outcome(tables_from_data, data)
    assert found[0] == "ok"
    assert_same_outcome(found, outcome(dataset_from_document, Document(copy.deepcopy(BASE), "data")))
    data["members"][0]["colour"] = "red"
    found = outcome(tables_from_data, data)
    assert found[0] == "problems"
    assert_same_outcome(found, outcome(dataset_from_document, Document(data, "data")))


@pytest.mark.parametrize("twice", ["members", "team_scores"])
def test_a_hosts_dataset_with_an_id_given_twice_is_refused_as_its_plain_data_is(twice):
    """`audit` and `derive` of a `Dataset` (model instances) holding one member id twice, or two scores of a team in
    a year, raise the InputError the same records as plain dicts raise: each record and field named."""
    from hongfeng_rules import audit, load_packs
    from hongfeng_rules.auditing import derive
    from hongfeng_rules.models import Dataset
    from hongfeng_rules.tables import tables_from_data

    data = copy.deepcopy(BASE)
    if twice == "members":
        data["members"].append({**data["members"][0]})
        expected = [f"data: members[3] (id={data['members'][0]['id']}): id: duplicate id "
                    f"{data['members'][0]['id']!r} (first at members[0])"]
    else:
        team = data["teams"][0]["id"]
        data["team_scores"] = [{"team_id": team, "year": 2024, "score": 90}, {"team_id": team, "year": 2024}]
        expected = [f"data: team_scores[1]: year: second score for team {team} in 2024 (first at team_scores[0])"]
    dataset, packs = Dataset.model_validate(copy.deepcopy(data)), load_packs(["hongfeng"])
    for run in (audit, derive):
        with pytest.raises(InputError) as refused:
            run(dataset, packs, "2025", date(2025, 12, 31))
        assert [str(p) for p in refused.value.problems] == expected
    plain = outcome(tables_from_data, data)
    assert plain[0] == "problems" and [str(p) for p in plain[1]] == expected
    data[twice].pop()
    assert audit(Dataset.model_validate(data), packs, "2025", date(2025, 12, 31)).findings


def test_a_database_gives_the_same_tables(tmp_path):
    pytest.importorskip("sqlalchemy")
    from hongfeng_rules.sources.tabulate import to_database

    url = f"sqlite:///{tmp_path / 'd.db'}"
    to_database(load_dataset(ROOT / "examples" / "hongfeng"), url)
    assert same(url)[0] == "ok"


@pytest.mark.slow
def test_the_loading_and_hostile_suites_pass_with_both_loaders():
    """Every dataset load of those suites goes through both loaders (tests/differential_loading.py), which
    must agree: the same problems, or the same tables."""
    import os
    import subprocess
    import sys

    files = ["tests/test_loading.py", "tests/test_hostile.py", "tests/test_hostile_round2.py", "tests/test_fuzz.py",
             "tests/test_sources.py"]
    path = os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-p", "no:cacheprovider", "-p", "differential_loading",
                           *files], cwd=ROOT, env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout


TEXTS = ["2025-03-01", "2025-3-01", "2025-03-1", "20250301", " 2025-03-01", "2025-03-01 ", "+2025-03-01",
         "2025-02-29", "2024-02-29", "1900-01-01", "1899-12-31", "2199-12-31", "2200-01-01", "0025-03-01",
         "2025-03-01T09:00:00", "2025-03-01T09:00:00Z", "2025-03-01T09:00:00+08:00", "2025-03-01T09:00:00-14:00",
         "2025-03-01T09:00:00+14:59", "2025-03-01T09:00:00+15:00", "2025-03-01T09:00:00.5", "2025-03-01T09:00",
         "2025-03-01T09:00:00.123456+08:00", "2025-03-01T09:00:00.1234567", "2025-03-01 09:00:00", "2025-03-01t09:00:00",
         "1901-01-01T00:00:00-14:00", "1900-12-31T23:59:59", "2198-12-31T23:59:59+14:00", "2199-01-01T00:00:00",
         "2025-03-01T24:00:00", "2025-03-01T09:00:00Z+08:00", "2025-03-01T09:00:00+0800", "\u30002025-03-01",
         "2025-03-01\x1c", "T1\u00a0", "\u2028T1", "T1\x1f", "T\u200b1"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("where", [("members", "join_date"), ("trainings", "start"), ("trainings", "end"),
                                   ("teams", "name"), ("members", "id")])
def test_odd_texts_in_days_instants_and_names_give_the_same_outcome(text, where):
    """The column checks of days (read back as text), instants and edge spaces accept exactly what the models do."""
    from hongfeng_rules.safe_load import Document
    from hongfeng_rules.tables import tables_from_data

    data = copy.deepcopy(BASE)
    data[where[0]][0][where[1]] = text
    expected = outcome(dataset_from_document, Document(copy.deepcopy(data), "data"))
    assert_same_outcome(outcome(tables_from_data, data), expected)


def test_what_str_strip_strips_is_all_below_u3000():
    """validation.screen tests the edges of text against the white space up to U+3000 only."""
    assert not [hex(i) for i in range(0x3001, 0x110000) if chr(i).isspace()]


@pytest.mark.parametrize("number", [10 ** 20, -(2 ** 63) - 1, 2 ** 64, 2 ** 53 + 1, 1e300])
def test_a_huge_number_is_worded_as_written(tmp_path, number):
    """The fast decoder reads an integer beyond 64 bits as a float: the models see the strict reader's value."""
    data = copy.deepcopy(BASE)
    data["members"][0]["name"] = number
    data["teams"][0]["name"] = number
    data["activities"] = [{"id": "a1", "team_id": "t1", "kind": "patrol", "start": "2025-03-01T09:00:00",
                           "end": "2025-03-01T10:00:00", "participants": [{"member_id": "m0", "hours": number}]}]
    data["team_scores"] = [{"team_id": "t1", "year": number, "score": 1}]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert same(path)[0] == "problems"
    del data["members"][0]["name"], data["teams"][0]["name"]
    data["members"][0]["name"], data["teams"][0]["name"] = "M0", "T1"
    data["team_scores"][0]["year"] = 2025
    path.write_text(json.dumps(data), encoding="utf-8")
    same(path)


@pytest.mark.parametrize("kind", ["str", "bool"])
@pytest.mark.parametrize("value", [1, 0, 1.5, True, "x", [], ["x"], {}, {"a": 1}, 10 ** 20],
                         ids=lambda v: type(v).__name__ + repr(v)[:8])
def test_polars_builds_text_and_boolean_columns_only_from_their_own_type(kind, value):
    """validation.screen builds text and boolean columns with no Python type check: Polars must refuse the rest."""
    import datetime

    import polars as pl

    from hongfeng_rules.validation.screen import _EXACT, _RAW

    assert kind in _EXACT
    own = {"str": str, "bool": bool}[kind]
    values = [None, value, datetime.date(2025, 3, 1)][: 2 if type(value) is own else 3]
    if type(value) is own:
        assert pl.Series(values, dtype=_RAW[kind], strict=True).to_list() == values
    else:
        with pytest.raises((TypeError, ValueError, OverflowError)):
            pl.Series([None, value], dtype=_RAW[kind], strict=True)


UPLOADS = [p for p in HOSTILE if p.is_file()]


@pytest.mark.parametrize("path", UPLOADS, ids=lambda p: p.name)
@pytest.mark.parametrize("limits", [Limits(), TIGHT], ids=["default-limits", "tight-limits"])
def test_an_uploaded_file_gives_the_same_problems_as_the_per_record_loader(path, limits):
    """tables_from_files reads a JSON upload fast (tables.json_text.read_text_fast): the same problems, word for
    word, as loading.located_from_files, or the same tables."""
    from hongfeng_rules.loading import located_from_files
    from hongfeng_rules.tables import tables_from_files

    files = [(path.name, path.read_bytes())]
    expected = outcome(lambda: located_from_files(files, limits)[0])
    assert_same_outcome(outcome(lambda: tables_from_files(files, limits)[0]), expected)


def _valid_record_tables(path):
    """The tables of a JSON upload whose records are valid one by one (the dataset checks not run), else None."""
    from unittest import mock

    from hongfeng_rules.tables import load, tables_from_data
    with mock.patch.object(load, "check_tables", lambda tables: []):
        try:
            return tables_from_data(json.loads(path.read_bytes()))
        except (InputError, ValueError, TypeError, AttributeError):
            return None


@pytest.mark.parametrize("path", [p for p in UPLOADS if p.suffix == ".json"], ids=lambda p: p.name)
def test_the_first_look_skips_only_dataset_checks_that_find_nothing(path, monkeypatch):
    """validation.integrity_look: the dataset checks give the same issues whether small tables are looked at
    first or every check's query runs (the uploads whose records are valid; the others never reach them: the
    loader refuses them). Which uploads are valid is found here, not when collected: loading runs Polars, and a
    collection that starts Polars' thread pool cannot be forked (mutation testing, docs/testing.md)."""
    from hongfeng_rules.tables import tables_from_data
    from hongfeng_rules.validation import integrity, integrity_look

    tables = _valid_record_tables(path)
    if tables is None:
        with pytest.raises((InputError, ValueError, TypeError, AttributeError)):
            tables_from_data(json.loads(path.read_bytes()))
        return
    looked = integrity.check_tables(tables)
    monkeypatch.setattr(integrity_look, "SMALL", -1)
    assert integrity.check_tables(tables) == looked


@pytest.mark.parametrize("margin", [-1, 0, 1])
def test_a_folder_with_a_file_over_the_size_limit_is_refused_before_any_file_is_read(tmp_path, margin, monkeypatch):
    """Each JSON/YAML file larger than `max_file_bytes` is named, and no file of the folder is parsed meanwhile (a
    broken file beside it is not read); at the limit and below it, the folder is read (and the broken file named)."""
    from hongfeng_rules.tables import json_text

    for name, records in BASE.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "teams.json").write_text("[{broken", encoding="utf-8")
    largest = max(p.stat().st_size for p in tmp_path.iterdir())
    limits = Limits(max_file_bytes=largest + margin)
    over = sorted(str(p) for p in tmp_path.iterdir() if p.stat().st_size > limits.max_file_bytes)
    kind, problems = same(tmp_path, limits)
    assert kind == "problems"
    if margin < 0:
        assert over and [p.file for p in problems] == over
        assert all(p.reason.startswith("file is ") and "larger than the limit" in p.reason for p in problems)
        read = []
        monkeypatch.setattr(json_text, "_fast", lambda *a, **k: read.append(a) or None)
        with pytest.raises(InputError):
            load_tables(tmp_path, limits)
        assert read == []
    else:
        assert not over and [p.file for p in problems] == [str(tmp_path / "teams.json")]



@pytest.mark.parametrize("start", ["kept", "empty"])
def test_an_empty_cell_of_a_field_with_a_default_inside_a_list_of_records_is_its_default(tmp_path, start):
    """Typed Parquet whose types already fit: an insurance cover with no kind is the model's default (accident),
    as the per-object oracle reads the same file; with its required start empty too, both name the same field."""
    import polars as pl
    from hongfeng_rules.tables.parquet import write_parquet

    tables = load_tables(ROOT / "examples" / "hongfeng")
    write_parquet(tables, tmp_path)
    members = tables.get("members")
    covered = members.filter(pl.col("insurance").list.len() > 0)["id"][0]
    empty = [pl.lit(None, pl.String).alias("kind")] + ([pl.lit(None, pl.Date).alias("start")] if start == "empty" else [])
    unset = members.with_columns(
        pl.when(pl.col("id") == covered)
        .then(pl.col("insurance").list.eval(pl.element().struct.with_fields(*empty)))
        .otherwise(pl.col("insurance")).alias("insurance"))
    assert unset.schema == members.schema
    unset.write_parquet(tmp_path / "members.parquet")
    found, expected = outcome(load_tables, tmp_path), outcome(load_dataset, tmp_path)
    if start == "kept":
        assert_same_outcome(found, expected)
        read = found[1].get("members").filter(pl.col("id") == covered)["insurance"][0]
        assert len(read) and [cover["kind"] for cover in read] == ["accident"] * len(read)
    else:  # the typed file's problems name the cell by its field, the oracle's (a table's) by its column number
        n = len(unset.filter(pl.col("id") == covered)["insurance"][0])
        assert found[0] == expected[0] == "problems" and n
        assert [p.reason for p in found[1]] == [p.reason for p in expected[1]] == ["required field 'start' is missing"] * n
        assert [p.field for p in found[1]] == [f"insurance[{i}].start" for i in range(n)]
