"""Pins of column-wise validation (`validation.*`) found by mutation testing (issue 24, docs/testing.md): each
test fails on a mutant the differential tests (test_load_tables) let through."""
from __future__ import annotations

from datetime import date, datetime
import json
from pathlib import Path

import pytest

from hongfeng_rules import InputError
from hongfeng_rules.tables import tables_from_data

from helpers import VALID, load_problems, valid_with

BASE = VALID
TEAM = BASE["teams"][0]["id"]


data, problems = valid_with, load_problems


def test_a_follow_up_before_its_dispute_names_the_registration_when_it_was_not_mediated():
    disputes = [{"id": "d1", "team_id": TEAM, "registered_at": "2025-03-02T10:00:00"},
                {"id": "d2", "team_id": TEAM, "registered_at": "2025-03-01T10:00:00", "mediated_at": "2025-03-05T10:00:00"}]
    follow_ups = [{"id": "f1", "dispute_id": "d1", "at": "2025-03-01T09:00:00"},
                  {"id": "f2", "dispute_id": "d2", "at": "2025-03-04T09:00:00"}]
    assert problems(data(disputes=disputes, follow_ups=follow_ups)) == [
        "data: follow_ups[0] (id=f1): at: follow-up at 2025-03-01T09:00:00+08:00 is before its dispute 'd1' was "
        "registered (2025-03-02T10:00:00+08:00)",
        "data: follow_ups[1] (id=f2): at: follow-up at 2025-03-04T09:00:00+08:00 is before its dispute 'd2' was "
        "mediated (2025-03-05T10:00:00+08:00)"]


def test_a_lone_surrogate_in_a_text_sends_only_its_record_to_the_model():
    """A host's text may hold a lone surrogate (JSON allows the escape), which Polars cannot hold: its record is
    refused by its model, in the model's words; the records beside it are read."""
    records = data()
    records["members"][0]["name"], records["members"][2]["name"] = "张\ud800三", "李\udfff"
    assert problems(records) == [
        f"data: members[{i}] (id={records['members'][i]['id']}): name: Input should be a valid string, unable to parse "
        "raw data as a unicode string" for i in (0, 2)]
    records["members"][0]["name"] = records["members"][2]["name"] = "张三"
    assert tables_from_data(records).get("members")["name"].to_list()[:3] == ["张三", records["members"][1]["name"], "张三"]


@pytest.mark.parametrize("limit", [3, 4, 5])
def test_future_records_are_listed_up_to_the_limit_then_counted(limit):
    """Four records after as-of, at limit n - 1, n and n + 1: '… and N more' only below n. Three members join
    after as-of; the one training (a collection of one record, after `units`, which is absent) starts a second
    after it; a member joining on the as-of day (as-of 07:00 in Shanghai, before 08:00, UTC midnight) is not."""
    from datetime import datetime

    from hongfeng_rules.validation.future import records_after

    records = data()
    for i, member in enumerate(records["members"]):
        member["join_date"] = f"2025-03-0{2 + i}"
    records["members"].append({**records["members"][0], "id": "m9", "join_date": "2025-03-01"})
    records["trainings"][0].update(start="2025-03-01T07:00:01", end="2025-03-01T08:00:00")
    as_of = datetime.fromisoformat("2025-03-01T07:00:00+08:00")
    lines = [f"members[{i}] (id=m{i}): join_date 2025-03-0{2 + i} is after as-of {as_of.isoformat()}" for i in range(3)]
    lines.append(f"trainings[0] (id=tr1): start 2025-03-01T07:00:01+08:00 is after as-of {as_of.isoformat()}")
    found = records_after(tables_from_data(records), as_of, limit=limit)
    assert found == lines[:limit] + (["… and 1 more"] if limit == 3 else [])


def test_references_at_a_dotted_path_and_from_a_collection_without_ids_are_checked():
    """`activities.participants.member_id` (a list of records: the path's second part is a struct field) of the
    activity's own team, and `team_scores.team_id` (a collection with no `id`: its records are named by index)."""
    records = data(teams=[*BASE["teams"], {"id": "t2", "association_id": "a1", "name": "T2"}])
    records["members"].append({"id": "m9", "team_id": "t2", "name": "M9", "join_date": "2020-01-01"})
    records["activities"] = [{"id": "ac1", "team_id": "t1", "kind": "patrol", "start": "2025-03-01T09:00:00",
                              "end": "2025-03-01T10:00:00", "participants": [
                                  {"member_id": m, "hours": 1} for m in ("m0", "ghost", "m9")]}]
    records["team_scores"] = [{"team_id": "t1", "year": 2025}, {"team_id": "tX", "year": 2025}]
    assert problems(records) == [
        "data: activities[0] (id=ac1): participants.member_id: refers to member 'ghost', which is not in members",
        "data: activities[0] (id=ac1): participants.member_id: member 'm9' belongs to team 't2', not 't1'",
        "data: team_scores[1]: team_id: refers to team 'tX', which is not in teams"]


def test_a_dataset_issue_names_the_records_line_in_a_file_and_its_cell_in_a_table(tmp_path: Path):
    """`problems.from_issue` (which the per-object loader, the differential tests' oracle, shares): the line of
    the record itself in a JSON file, not its collection's; the row and the referring column in a CSV file."""
    from hongfeng_rules.tables import load_tables

    records = {"associations": BASE["associations"], "teams": BASE["teams"],
               "members": [{"id": "m1", "team_id": TEAM, "name": "M1", "join_date": "2020-01-01"},
                           {"id": "m1", "team_id": TEAM, "name": "M2", "join_date": "2020-01-01"}]}
    text = json.dumps(records, indent=1)
    (tmp_path / "d.json").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = [i for i in range(lines.index(' "members": ['), len(lines)) if lines[i] == "  {"][1] + 1  # the 2nd's "{"
    with pytest.raises(InputError) as exc:
        load_tables(tmp_path / "d.json")
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path / 'd.json'}:{line}: members[1] (id=m1): id: duplicate id 'm1' (first at members[0])"]
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "associations.csv").write_text("id,name,level\na1,A,county\n", encoding="utf-8")
    (folder / "teams.csv").write_text(f"id,association_id,name\n{TEAM},a1,T1\n", encoding="utf-8")
    (folder / "members.csv").write_text(f"id,team_id,name,join_date\nm1,{TEAM},M1,2020-01-01\nm2,t9,M2,2020-01-01\n",
                                        encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_tables(folder)
    assert [str(p) for p in exc.value.problems] == [
        f"{folder / 'members.csv'}, row 3 (column 2 team_id): refers to team 't9', which is not in teams"]


def test_a_constraint_inside_a_field_is_read_and_one_with_no_column_check_is_named_by_its_field():
    """`validation.fields`: the constraints of a pydantic `Field(...)` inside `Annotated` are read like the others,
    and one the screen cannot check is a TypeError naming the model's field (not None)."""
    from typing import Annotated

    from pydantic import Field

    from hongfeng_rules.validation.fields import Spec, spec_of

    assert spec_of(Annotated[int, Field(ge=1, le=9)], (), "Team.size") == Spec("int", ge=1, le=9)
    with pytest.raises(TypeError, match=r"^Team\.size: no column-wise check for MultipleOf\(multiple_of=2\)$"):
        spec_of(Annotated[int, Field(multiple_of=2)], (), "Team.size")


def test_an_id_with_an_invisible_character_empty_or_too_long_is_not_taken_as_surely_valid():
    """The screen reads `refuse_hidden`, `min_length` and `max_length` from the models (`validation.fields`): a
    value breaking one goes to its model, which refuses it (200 characters are accepted, 201 not)."""
    records = data()
    records["members"][0]["id"], records["members"][1]["id"] = "m\u200b0", ""
    records["members"][2]["team_id"] = "t" * 201
    assert problems(records) == [
        "data: members[0] (id=m<U+200B>0): id: identifier contains the invisible character U+200B (ZERO WIDTH SPACE) "
        "at position 2",
        "data: members[1] (id=): id: String should have at least 1 character",
        "data: members[2] (id=m2): team_id: String should have at most 200 characters"]
    records = data(teams=[{**BASE["teams"][0], "id": "t" * 200}])
    for member in records["members"]:
        member["team_id"] = "t" * 200
    records["trainings"][0]["team_id"] = "t" * 200
    assert tables_from_data(records).get("members")["team_id"].to_list() == ["t" * 200] * len(records["members"])


def test_a_whole_number_outside_its_bounds_is_not_taken_as_surely_valid():
    """`ge`/`le` read from the models: a team score's year 1999 and 2101 refused, 2000 and 2100 accepted."""
    scores = [{"team_id": TEAM, "year": year} for year in (1999, 2000, 2100, 2101)]
    assert problems(data(team_scores=scores)) == [
        "data: team_scores[0]: year: Input should be greater than or equal to 2000",
        "data: team_scores[3]: year: Input should be less than or equal to 2100"]


def test_a_text_that_breaks_its_fields_pattern_is_not_taken_as_surely_valid():
    """`pattern` read from the models: a patrol report's month 2025-13 and 2025-1 refused, 2025-12 accepted."""
    reports = [{"id": f"p{i}", "team_id": TEAM, "month": month, "submitted_at": "2026-01-05T09:00:00"}
               for i, month in enumerate(["2025-13", "2025-12", "2025-1"])]
    why = "month: String should match pattern '^\\d{4}-(0[1-9]|1[0-2])$'"
    assert problems(data(patrol_reports=reports)) == [f"data: patrol_reports[{i}] (id=p{i}): {why}" for i in (0, 2)]


# ---------------------------------------------------------------------------------------- typed columns

def typed(collection: str, frame):
    """`validation.typed.typed_table` of a collection's model: (table, doubt as a list) or None."""
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.validation.typed import typed_table

    found = typed_table(COLLECTIONS[collection].model, frame)
    return None if found is None else (found[0], found[1].to_list())


def test_typed_columns_that_fit_are_the_table_with_defaults_for_missing_columns_and_empty_cells():
    """A typed frame (as a Parquet file with the tables' schema is read): absent columns and empty cells of fields
    with a default are the default, inside a record too; empty optional cells (a day, a flag, a list, a record)
    and days at the ends of the supported range are surely valid: no row is doubted. An empty required cell and
    a day outside the range are. A record field given as text does not carry the schema: None, not an error."""
    import polars as pl

    members = tables_from_data(data()).get("members")
    s = members.schema
    cover = {"kind": "accident", "start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    given = [pl.Series("file", [{"personal_info": True, "contact": False, "skills": False, "service_record": True},
                                None, None], dtype=s["file"]),
             pl.Series("insurance", [None, [], [cover]], dtype=s["insurance"]),
             pl.Series("birth_date", [None, date(1900, 1, 1), date(2199, 12, 31)]),
             pl.Series("real_name_verified", [None, True, False])]
    expected = members.with_columns(*given, pl.Series("roles", [["member"], ["core"], ["core"]]),
                                    pl.Series("party_member", [False, True, False]))
    assert expected["status"].to_list() == ["active"] * 3 and expected["skills"].to_list() == [[]] * 3
    frame = members.drop("status", "unit_id", "skills", "certificates").with_columns(
        *given, pl.Series("roles", [None, ["core"], ["core"]], dtype=s["roles"]),
        pl.Series("party_member", [None, True, False])).with_columns(
        pl.col("file").struct.with_fields(pl.when(pl.int_range(pl.len()) == 0).then(None)
                                          .otherwise(pl.field("contact")).alias("contact")))
    table, doubt = typed("members", frame)
    assert table.equals(expected) and doubt == [False] * 3
    bad = frame.with_columns(pl.Series("name", ["M0", None, "M2"]),
                             pl.Series("join_date", [date(1899, 12, 31), date(2020, 1, 1), date(2200, 1, 1)]))
    assert typed("members", bad)[1] == [True] * 3
    assert typed("members", frame.with_columns(pl.lit("x").alias("file"))) is None


def test_typed_days_and_instants_may_be_text_and_are_read_as_the_models_read_them():
    """Days and instants as text (a JSON file's, a Parquet file's written so) are parsed: the same table, no
    doubt; an instant is checked by its day in Shanghai (23:30 on the last supported day is within it), and a
    model validator (a training ending before it starts) doubts its row."""
    import polars as pl

    tables = tables_from_data(data())
    members = tables.get("members").with_columns(pl.Series("birth_date", [None, date(1900, 1, 1), date(2199, 12, 31)]))
    table, doubt = typed("members", members.with_columns(pl.col("join_date", "birth_date").cast(pl.String)))
    assert table.equals(members) and doubt == [False] * 3
    tr = tables.get("trainings")
    late = pl.lit(datetime(2199, 12, 31, 23, 30)).dt.replace_time_zone("Asia/Shanghai").cast(tr.schema["end"])
    trainings = pl.concat([tr, tr.with_columns(pl.col("start").alias("end"), pl.col("end").alias("start"), id=pl.lit("tr2")),
                           tr.with_columns(late.alias("end"), id=pl.lit("tr3"))])
    table, doubt = typed("trainings", trainings)
    assert table.equals(trainings) and doubt == [False, True, False]
    text = tr.with_columns(pl.col("start").dt.to_string("%Y-%m-%dT%H:%M:%S"),
                           pl.col("end").dt.convert_time_zone("UTC").dt.to_string("%Y-%m-%dT%H:%M:%S%:z"))
    assert text["end"].to_list() == ["2025-03-01T03:00:00+00:00"]
    table, doubt = typed("trainings", text)
    assert table.equals(tr) and doubt == [False]


def test_a_typed_parquet_files_days_out_of_range_and_a_training_ending_before_it_starts_are_problems(tmp_path):
    """The CLI's problems for typed Parquet files: the file, row and column, the record and the model's reason."""
    import polars as pl
    from hongfeng_rules.tables import load_tables
    from hongfeng_rules.tables.parquet import write_parquet

    tables = tables_from_data(data())
    write_parquet(tables, tmp_path)
    tables.get("members").with_columns(pl.Series("join_date", [date(1899, 12, 31), date(2020, 1, 1), date(2200, 1, 1)])
                                       ).write_parquet(tmp_path / "members.parquet")
    tables.get("trainings").with_columns(pl.col("start").alias("end"), pl.col("end").alias("start")
                                         ).write_parquet(tmp_path / "trainings.parquet")
    with pytest.raises(InputError) as exc:
        load_tables(tmp_path)
    range_ = "is outside the supported dates (1900-01-01 to 2199-12-31)"
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path / 'members.parquet'}, row 1 (column join_date): members[0] (id=m0): join_date: 1899-12-31 {range_}",
        f"{tmp_path / 'members.parquet'}, row 3 (column join_date): members[2] (id=m2): join_date: 2200-01-01 {range_}",
        f"{tmp_path / 'trainings.parquet'}, row 1: trainings[0] (id=tr1): end is before start"]


def test_a_record_that_is_not_a_mapping_is_named_by_its_index_alone():
    """`problems.from_error`: a number or a list among a collection's records has no id to name it by."""
    records = data()
    records["members"].insert(1, 5)
    records["members"].append(["m9"])
    assert problems(records) == [f"data: members[{i}]: Input should be a valid dictionary or instance of Member"
                                 for i in (1, 4)]


# ---------------------------------------------------------------------------------------- field specs

def test_a_typed_frame_without_a_required_column_does_not_fit_its_model():
    """`FieldSpec.required` (from pydantic's `is_required`): a members frame without its required `name` column
    is not typed (None: its records go to the model, which names the missing field), while one without the
    defaulted `status` is."""
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.validation.fields import model_specs

    members = tables_from_data(data()).get("members")
    assert typed("members", members.drop("name")) is None
    assert typed("members", members.drop("status")) is not None
    required = {f.name: f.required for f in model_specs(COLLECTIONS["members"].model)}
    assert required["id"] is True and required["name"] is True and required["status"] is False


def test_a_default_factory_is_called_for_the_fields_default():
    """A field with `default_factory` has the factory's value as its default (what a record missing it gets)."""
    from pydantic import BaseModel, Field

    from hongfeng_rules.validation.fields import model_specs

    class Tagged(BaseModel):
        tags: list[str] = Field(default_factory=lambda: ["x"])
    (spec,) = model_specs(Tagged)
    assert spec.default == ["x"] and spec.required is False


def test_a_model_with_a_field_validator_or_a_required_nullable_field_is_refused_naming_it():
    """Any pydantic field validator (`field_validator` or the v1 `validator`) has no column-wise check, and a
    required field that may be null cannot be told from a missing one: each a TypeError naming the model (field)."""
    import warnings

    from pydantic import BaseModel, field_validator

    from hongfeng_rules.validation.fields import model_specs

    class Checked(BaseModel):
        x: str

        @field_validator("x")
        @classmethod
        def upper(cls, v):
            return v.upper()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydantic import validator

        class Old(BaseModel):
            x: str

            @validator("x")
            def upper(cls, v):
                return v.upper()

    class Maybe(BaseModel):
        x: int | None

    for model in (Checked, Old):
        with pytest.raises(TypeError, match=rf"^{model.__name__}: a field validator has no column-wise check "
                                            r"\(validation\.fields\)$"):
            model_specs(model)
    with pytest.raises(TypeError, match=r"^Maybe\.x: a required field that may be null reads as missing$"):
        model_specs(Maybe)


def test_a_field_with_no_column_check_is_named_by_its_place():
    """Each annotation the screen cannot check is a TypeError naming the field (the model's, a list's item `[]`,
    inside `| None` too); `spec_of` given no place names none."""
    from typing import Literal

    from pydantic import BaseModel

    from hongfeng_rules.validation.fields import model_specs, spec_of

    class Odd(BaseModel):
        x: bytes

    cases = [(Odd, None, r"Odd\.x: no column-wise check for <class 'bytes'>"),
             (int | str, "M.x", r"M\.x: no column-wise check for the union int \| str"),
             (bytes | None, "M.x", r"M\.x: no column-wise check for <class 'bytes'>"),
             (list[bytes], "M.x", r"M\.x\[\]: no column-wise check for <class 'bytes'>"),
             (Literal[1, 2], "M.x", r"M\.x: no column-wise check for typing\.Literal\[1, 2\]"),
             (date, "M.d", r"M\.d: a strict day cannot be read from text"),
             (datetime, "M.t", r"M\.t: a strict instant cannot be read from text"),
             (bytes, "", r": no column-wise check for <class 'bytes'>")]
    for annotation, where, message in cases:
        with pytest.raises(TypeError, match=f"^{message}$"):
            if where is None:
                model_specs(annotation)
            elif where:
                spec_of(annotation, (), where)
            else:
                spec_of(annotation)


def test_a_lists_constraints_other_than_lax_are_refused_and_literals_and_records_keep_theirs():
    """A list may be lax (its items are checked, not the list), any other list constraint is a TypeError naming
    the constraints; a Literal's and a record's own constraints are kept in their spec."""
    from typing import Literal

    import annotated_types as at
    from pydantic import AfterValidator, BaseModel, Strict

    from hongfeng_rules.invisible import refuse_hidden
    from hongfeng_rules.validation.fields import Spec, spec_of

    class Inner(BaseModel):
        x: str

    assert spec_of(list[str], (Strict(False),), "M.x") == Spec("list", item=Spec("str"))
    with pytest.raises(TypeError, match=r"^M\.x: no column-wise check for list constraints \['lax', 'min_length'\]$"):
        spec_of(list[str], (Strict(False), at.MinLen(1)), "M.x")
    assert spec_of(Literal["a", "b"], (AfterValidator(refuse_hidden),), "M.x") == Spec(
        "str", choices=frozenset({"a", "b"}), hidden=True)
    assert spec_of(Inner, (Strict(False),), "M.x") == Spec("struct", model=Inner, lax=True)


def _settled_alone(records: dict, name: str):
    """`rows.settle` of one collection of `records` as a caller without `screen.finish`'s result settles it."""
    from hongfeng_rules.safe_load import Document
    from hongfeng_rules.validation.rows import read_collection, settle
    from hongfeng_rules.validation.screen import Pools

    pools, found = Pools(), []
    read = read_collection(name, Document(records, "data"), (name,), found, pools)
    pools.evaluate()
    return settle(read, found), found


def test_a_collection_settled_without_its_screened_table_is_finished_by_settle_itself():
    """`screened` is optional: without it `settle` finishes the read's table itself, to the table the loader
    builds (members as given), and a refused record is its problem."""
    from polars.testing import assert_frame_equal

    records = data()
    frame, found = _settled_alone(records, "members")
    assert found == [] and frame is not None
    assert_frame_equal(frame, tables_from_data(records).get("members"))
    records["members"][1]["name"] = 5
    frame, found = _settled_alone(records, "members")
    assert frame is None and [(p.record, p.field, p.reason) for p in found] == [
        (f"members[1] (id={records['members'][1]['id']})", "name", "Input should be a valid string")]


def test_a_suspect_record_the_model_accepts_is_patched_in_with_the_tables_types():
    """Text with spaces around it makes the screen send the record to its model, which strips it: the record is
    patched into the table in place, with the table's own column types (its absent fields and its nested items'
    absent dates too), so the table is the one of the same records written without the spaces."""
    from polars.testing import assert_frame_equal

    padded, plain = data(), data()
    for records, name in ((padded, " M9 "), (plain, "M9")):
        records["members"].insert(1, {**records["members"][0], "id": "m9", "name": name, "status": "demoted",
                                      "certificates": [{"name": f" {name} "}], "party_member": True})
    plain["members"][1]["certificates"][0]["name"] = "M9"
    frame = tables_from_data(padded).get("members")
    assert frame["name"].to_list()[:2] == [padded["members"][0]["name"], "M9"]
    assert_frame_equal(frame, tables_from_data(plain).get("members"))


def test_a_valid_json_file_read_fast_never_asks_the_strict_reader(tmp_path, monkeypatch):
    """Every key written in a valid file is read into its tables, counted over all its collections: the keys
    fall not short of those written, and the strict reader is not asked (a merged duplicate key would be)."""
    from hongfeng_rules.tables import json_text
    from hongfeng_rules.tables.load import load_tables

    records = data()
    assert sum(1 for name in records if records[name]) >= 2
    path = tmp_path / "d.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    asked = []
    real = json_text.read_document
    monkeypatch.setattr(json_text, "read_document", lambda *a, **k: asked.append(a) or real(*a, **k))
    assert load_tables(path).get("members").height == len(records["members"])
    assert asked == []
    path.write_text(json.dumps(records, ensure_ascii=False).replace('"name":', '"name": "X", "name":', 1),
                    encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'name'"):
        load_tables(path)
    assert len(asked) == 1


@pytest.mark.parametrize("collection, given", [
    ("trainings", {"id": "tr9", "kind": "regular", "start": "2025-03-01T09:00:00", "end": "2025-03-01T11:00:00"}),
    ("team_scores", {"year": 2025, "score": 88}),
])
def test_a_suspect_record_keeps_its_instants_and_numbers_in_the_tables_types(collection, given):
    """A suspect record (its team id written with spaces around it, which its model strips) patched in: its
    instants are in the tables' zone and its numbers of the tables' types, so the table is the one of the same
    record written plainly (an integer score read as the number it is)."""
    from polars.testing import assert_frame_equal

    padded, plain = data(), data()
    for records, team in ((padded, f" {TEAM} "), (plain, TEAM)):
        records[collection] = [*records.get(collection, []), {**given, "team_id": team}]
    frame = tables_from_data(padded).get(collection)
    assert frame["team_id"].to_list()[-1] == TEAM
    assert_frame_equal(frame, tables_from_data(plain).get(collection))


def test_many_suspect_records_keep_a_field_only_the_last_of_them_gives():
    """A hundred and one suspect records (names written with spaces around them), only the last with a birth date
    and a certificate: the patched rows take the table's columns, not types guessed from their first records, so
    the last record's date and certificate are kept, as written plainly."""
    from polars.testing import assert_frame_equal

    padded, plain = data(), data()
    for records, pad in ((padded, " "), (plain, "")):
        extra = [{**records["members"][0], "id": f"x{i}", "name": f"{pad}X{i}{pad}"} for i in range(101)]
        extra[-1].update(birth_date="1990-05-06", certificates=[{"name": "first aid", "valid_from": "2024-01-01"}])
        records["members"] = [*records["members"], *extra]
    frame = tables_from_data(padded).get("members")
    assert frame["birth_date"].to_list()[-1] == date(1990, 5, 6)
    assert frame["certificates"].to_list()[-1] == [{"name": "first aid", "valid_from": date(2024, 1, 1),
                                                    "valid_until": None}]
    assert_frame_equal(frame, tables_from_data(plain).get("members"))


def test_a_nested_field_whose_cell_cannot_be_read_has_that_cells_problem_alone(tmp_path):
    """A team's party branch in CSV columns: its brands cell is not valid JSON, and its secretary's role is left
    blank. The branch is a field with a cell that could not be read: its one problem is that cell's, not also a
    model error deeper in the branch (the role missing)."""
    import csv
    import shutil

    from hongfeng_rules.tables.load import load_tables

    folder = tmp_path / "csv"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "hongfeng-csv", folder)
    with open(folder / "teams.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("party_branch.brands")] = "[not json"
    rows[1][rows[0].index("party_branch.secretary_role")] = ""
    with open(folder / "teams.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(InputError) as exc:
        load_tables(folder)
    assert [(p.row, p.cell, p.reason) for p in exc.value.problems] == [
        ("2", "column 10 party_branch.brands",
         "'[not json' is not valid JSON (a list of records is written as JSON, e.g. [{\"name\": \"…\"}])")]


def test_a_collection_not_a_list_in_a_file_with_a_merged_duplicate_key_is_the_strict_readers_refusal(tmp_path):
    """A JSON file read fast whose units are not a list and whose first association has a key written twice: the
    strict reader is asked at once, and its refusal (the duplicate key, where it is) is the file's one problem."""
    from hongfeng_rules.tables.load import load_tables

    records = {"units": 5, **data()}
    text = json.dumps(records, ensure_ascii=False)
    first = text.index('"name":', text.index('"associations"'))
    path = tmp_path / "d.json"
    path.write_text(text[:first] + '"name": "X", ' + text[first:], encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_tables(path)
    assert [(p.field, p.reason) for p in exc.value.problems] == [
        ("associations[0].name", "duplicate key 'name' (first at line 1)")]
