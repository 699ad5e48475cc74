"""A small Parquet file that decodes to far more than it holds (one long name in a dictionary, repeated in every
row) is refused from its footer and dictionaries, before either reader decodes it: exit 2 naming the file, the row
group and the column; the record limit is read from the footer too."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from hongfeng_rules import InputError, load_dataset  # noqa: E402
from hongfeng_rules.cli import main  # noqa: E402
from hongfeng_rules.safe_load import Limits  # noqa: E402
from hongfeng_rules.limit_names import limit_named  # noqa: E402
from hongfeng_rules.tables import load_tables  # noqa: E402

FILE_BYTES = limit_named("max_file_bytes")

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "tests" / "hostile" / "_pack"


def members(path: Path, rows: int, name_bytes: int) -> Path:
    """members.parquet: `rows` members all named by one `name_bytes`-long text, stored once in a dictionary."""
    one = pa.array(["x" * name_bytes])
    table = pa.table({"id": [f"m{i}" for i in range(rows)], "team_id": ["t1"] * rows,
                      "name": pa.chunked_array([one] * rows), "join_date": ["2020-01-01"] * rows})
    pq.write_table(table, path, use_dictionary=True, compression="zstd")
    return path


def folder(tmp_path: Path, rows: int, name_bytes: int) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "associations.json").write_text('[{"id": "a1", "name": "A", "level": "county"}]', encoding="utf-8")
    (data / "teams.json").write_text('[{"id": "t1", "association_id": "a1", "name": "T1", "founded_on": "2020-01-01"}]',
                                     encoding="utf-8")
    members(data / "members.parquet", rows, name_bytes)
    return data


def decoded(rows: int, name_bytes: int, path: Path) -> int:
    """What the limit counts: the pages' declared size and the dictionary text once per row."""
    meta = pq.ParquetFile(path).metadata
    pages = sum(meta.row_group(0).column(j).total_uncompressed_size for j in range(meta.num_columns))
    texts = sum(len(f"m{i}") for i in range(rows)) + rows * (len("t1") + len("2020-01-01") + name_bytes)
    return pages + texts


@pytest.mark.parametrize("over", [-1, 0, 1])
@pytest.mark.parametrize("load", [load_dataset, load_tables])
def test_the_byte_limit_is_on_the_decoded_text(tmp_path, load, over):
    data = folder(tmp_path, 50, 10_000)
    limit = decoded(50, 10_000, data / "members.parquet") - over
    if over > 0:
        with pytest.raises(InputError) as caught:
            load(data, limits=Limits(max_file_bytes=limit))
        [line] = caught.value.lines()
        assert line.startswith(f"{data / 'members.parquet'}: row group 1, column ")
        assert f"decodes to more than the limit of {limit} bytes" in line and FILE_BYTES in line
    else:
        load(data, limits=Limits(max_file_bytes=limit))


@pytest.mark.parametrize("over", [-1, 0, 1])
@pytest.mark.parametrize("load", [load_dataset, load_tables])
def test_the_record_limit_is_read_from_the_footer(tmp_path, load, over):
    data = folder(tmp_path, 20, 5)
    if over > 0:
        with pytest.raises(InputError, match="the file holds 20 rows, more than the limit of 19 " +
                                             re.escape(limit_named("max_records"))):
            load(data, limits=Limits(max_records=20 - over))
    else:
        load(data, limits=Limits(max_records=20 - over))


def test_the_command_line_names_file_row_group_and_column(tmp_path, capsys):
    data = folder(tmp_path, 200, 100_000)  # 20 MB of names in a file of a few kB (3 GB aborted the process before)
    assert (data / "members.parquet").stat().st_size < 64 << 10
    code = main(["check", str(data), "--rules", str(PACK), "--period", "2025", "--as-of", "2026-01-15",
                 "--max-file-bytes", "10000000"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"error: {data / 'members.parquet'}: row group 1, column name: the file's text decodes "
                             "to more than the limit of 10000000 bytes")


def test_while_reading_the_decoded_batches_are_counted_too(tmp_path, monkeypatch):
    """The footer's numbers can lie: the rows reader counts what each batch really decodes to and stops."""
    from hongfeng_rules.sources import parquet

    monkeypatch.setattr(parquet, "check_parquet", lambda *args: None)
    path = members(tmp_path / "members.parquet", 50, 10_000)
    table = parquet.read_parquet(path.read_bytes(), str(path), Limits(max_file_bytes=400_000))
    with pytest.raises(InputError, match=r"members.parquet: rows after 0: the file decodes to more than the limit of " +
                                         r"400000 bytes " + re.escape(FILE_BYTES)):
        list(table.rows)
