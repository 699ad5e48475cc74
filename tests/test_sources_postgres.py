"""A real PostgreSQL server, started by the tests on a free loopback port (initdb into a temp folder, pg_ctl),
read through SQLAlchemy and psycopg 3: a table, typed columns, a query, credentials from a .pgpass file or
PGPASSWORD, and errors that never echo a password. Under CI=true a missing server binary fails the run."""
from __future__ import annotations

import datetime as dt
import importlib.util
import os

import pytest

from hongfeng_rules import InputError, load_dataset
from hongfeng_rules.cli import main

from test_sources import EXAMPLE, REPO, fill_database, problems, report_bytes, write

psycopg = pytest.importorskip("psycopg")
SUPER_PASSWORD, AUDIT_PASSWORD = "super-Pw-1", "audit-Pw-2"


def _load_pg_server():
    spec = importlib.util.spec_from_file_location("pg_server", REPO / "benchmarks" / "pg_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pg_server = _load_pg_server()


@pytest.fixture(scope="module")
def server():
    if pg_server.server_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found; .ci/run installs postgresql")
        pytest.skip("PostgreSQL server binaries not installed")
    with pg_server.temporary_server(SUPER_PASSWORD) as port:
        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", password=SUPER_PASSWORD,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE ROLE audit LOGIN PASSWORD '{AUDIT_PASSWORD}'")
            conn.execute("CREATE DATABASE platform OWNER audit")
            conn.execute("CREATE DATABASE typed OWNER audit")
        yield port


@pytest.fixture
def pgpass(tmp_path, monkeypatch, server):
    """Credentials from a .pgpass-style file: the URL carries none."""
    path = tmp_path / "pgpass"
    path.write_text(f"127.0.0.1:{server}:*:audit:{AUDIT_PASSWORD}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return f"postgresql://audit@127.0.0.1:{server}/platform"


@pytest.fixture(scope="module")
def example():
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def packs():
    from hongfeng_rules.rulebook.locate import load_packs
    return load_packs(["hongfeng"])


@pytest.fixture(scope="module")
def filled(server, example):
    url = f"postgresql://audit:{AUDIT_PASSWORD}@127.0.0.1:{server}/platform"
    fill_database(url, example)
    return url


def test_postgres_tables_give_the_json_example_report(filled, pgpass, example, packs):
    assert report_bytes(load_dataset(pgpass), packs) == report_bytes(example, packs)


def test_postgres_typed_columns_and_a_query(pgpass, tmp_path, server):
    with psycopg.connect(f"host=127.0.0.1 port={server} user=audit password={AUDIT_PASSWORD} dbname=typed",
                         autocommit=True) as conn:
        conn.execute("CREATE TABLE associations (id text, name text, level text)")
        conn.execute("INSERT INTO associations VALUES ('a1', '某县协会', 'county')")
        conn.execute("CREATE TABLE 队伍 (编号 text, 所属协会 text, 名称 text, 成立日期 date)")
        conn.execute("INSERT INTO 队伍 VALUES ('hf-t01', 'a1', '一队', '2019-01-01')")
        conn.execute("""CREATE TABLE t_staff (staff_no text, team text, full_name text, born date, joined date,
                        roles text[], party boolean, insured jsonb, seen timestamptz)""")
        conn.execute("""INSERT INTO t_staff VALUES
            ('s1', 'hf-t01', '甲', '1980-02-03', '2020-01-01', '{core,captain}', true,
             '[{"kind": "accident", "start": "2025-01-01", "end": "2025-12-31"}]', now()),
            ('s2', 'hf-t01', '乙', NULL, '2021-05-06', '{}', false, NULL, now())""")
    mapping = write(tmp_path, {"m.yaml": """
collections:
  members:
    query: "SELECT staff_no, team, full_name, born, joined, roles, party, insured FROM t_staff ORDER BY staff_no"
    key: staff_no
    columns: {staff_no: id, team: team_id, full_name: name, born: birth_date, joined: join_date, party: party_member,
              insured: insurance}
"""}) / "m.yaml"
    dataset = load_dataset(pgpass.replace("/platform", "/typed"), mapping=mapping)
    assert dataset.teams[0].founded_on == dt.date(2019, 1, 1)  # a table named like the template's sheet, Chinese headers
    members = {m.id: m for m in dataset.members}
    s1, s2 = members["s1"], members["s2"]
    assert (s1.birth_date, s1.roles, s1.party_member, s1.insurance[0].end) == (
        dt.date(1980, 2, 3), ["core", "captain"], True, dt.date(2025, 12, 31))
    assert (s2.birth_date, s2.roles, s2.insurance) == (None, [], None)


def test_postgres_bad_cells_name_the_query_row_key_and_column(filled, pgpass, tmp_path, server):
    with psycopg.connect(f"host=127.0.0.1 port={server} user=audit password={AUDIT_PASSWORD} dbname=platform",
                         autocommit=True) as conn:
        conn.execute("CREATE TABLE t_bad (staff_no text, team text, full_name text, born text, joined text)")
        conn.execute("INSERT INTO t_bad VALUES ('b1', 'hf-t01', '丙', '1985-13-02', '2020-01-01'),"
                     " ('b2', 'hf-none', '丁', '1985-01-02', '2020-01-01')")
    mapping = write(tmp_path, {"m.yaml": """
collections:
  members:
    table: t_bad
    key: staff_no
    columns: {staff_no: id, team: team_id, full_name: name, born: birth_date, joined: join_date}
"""}) / "m.yaml"
    with pytest.raises(InputError) as exc:
        load_dataset(pgpass, mapping=mapping)
    assert problems(exc) == [f"{pgpass}, table t_bad, row staff_no=b1 (column born): '1985-13-02' is not a date"]


def test_postgres_password_from_the_environment(filled, server, monkeypatch, example):
    monkeypatch.setenv("PGPASSWORD", AUDIT_PASSWORD)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    assert load_dataset(f"postgresql://audit@127.0.0.1:{server}/platform").teams == example.teams


def test_postgres_wrong_password_is_one_line_without_it(filled, server, monkeypatch, capsys):
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    monkeypatch.setenv("PGPASSWORD", "wrong-Secret-9")
    assert main(["check", f"postgresql://audit@127.0.0.1:{server}/platform"]) == 2
    monkeypatch.delenv("PGPASSWORD")
    assert main(["check", f"postgresql://audit:wrong-Secret-8@127.0.0.1:{server}/platform"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"error: postgresql://audit@127.0.0.1:{server}/platform: cannot "
                                                   "connect: ") and "authentication failed" in line for line in lines)
    assert "wrong-Secret" not in "\n".join(lines)
