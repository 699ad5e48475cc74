"""Tests for the single reader of untrusted YAML / JSON (hongfeng_rules.safe_load)."""
from __future__ import annotations

import os
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hongfeng_rules import safe_load
from hongfeng_rules.errors import InputError
from hongfeng_rules.safe_load import DEFAULT_LIMITS, Document, Limits, read_document, read_text_document


def problem(text, fmt="yaml", limits=DEFAULT_LIMITS, file=None):
    """Load text that must fail; return its single Problem."""
    with pytest.raises(InputError) as info:
        read_text_document(text, file or f"in.{fmt}", fmt, limits)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def load(text, fmt="yaml", limits=DEFAULT_LIMITS):
    return read_text_document(text, f"in.{fmt}", fmt, limits).data


@pytest.fixture(params=["c", "python"])
def yaml_loader(request, monkeypatch):
    """Run a YAML test with the C loader and with the pure-Python fallback."""
    if request.param == "c":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("libyaml not available")
        monkeypatch.setattr(safe_load, "_YamlLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(safe_load, "_YamlLoader", yaml.SafeLoader)
    return request.param


# --------------------------------------------------------------------------- plain loading

def test_defaults_and_api():
    assert DEFAULT_LIMITS == Limits(200 * 1024 * 1024, 5_000_000, 10_000, 64)
    doc = Document(data={"a": 1}, file="x.yaml")  # constructible without line info
    assert doc.line_of(("a",)) is None


def test_yaml_plain_data(yaml_loader):
    text = "a: 1\nb: [x, 2.5, true, null]\nc: {d: 'e'}\n"
    assert load(text) == {"a": 1, "b": ["x", 2.5, True, None], "c": {"d": "e"}}


def test_json_plain_data():
    assert load('{"a": 1, "b": ["x", 2.5, true, null]}', "json") == {"a": 1, "b": ["x", 2.5, True, None]}


def test_yaml_timestamps_stay_strings(yaml_loader):
    data = load("d: 2025-02-30\nok: 2025-02-28\nts: 2001-12-14t21:59:43.10-05:00\n")
    assert data == {"d": "2025-02-30", "ok": "2025-02-28", "ts": "2001-12-14t21:59:43.10-05:00"}


def test_yaml_scalar_resolution(yaml_loader):
    data = load("on_duty: yes\noff_duty: Off\nhex: 0x1F\nsep: 1_000\nzip: 01234\nclock: 12:30\n"
                "eq: =\nquoted: '123'\nforced: !!str 12\nint: !!int '7'\n")
    assert data == {"on_duty": True, "off_duty": False, "hex": 31, "sep": 1000, "zip": "01234",
                    "clock": "12:30", "eq": "=", "quoted": "123", "forced": "12", "int": 7}


# --------------------------------------------------------------------------- tags

def test_python_tag_rejected_with_line(yaml_loader):
    p = problem("ok: 1\nrun: !!python/object/apply:os.system ['echo pwned']\n", file="rules.yaml")
    assert (p.file, p.line, p.field) == ("rules.yaml", 2, "run")
    assert "!!python/object/apply:os.system" in p.reason and "not allowed" in p.reason


@pytest.mark.parametrize("text", ["x: !!python/name:os.system\n", "x: !custom 1\n", "x: !!binary aGk=\n",
                                  "x: !!set {a}\n", "x: !!omap [a: 1]\n", "x: !thing {a: 1}\n"])
def test_unknown_tags_rejected(yaml_loader, text):
    p = problem(text)
    assert p.line == 1 and "not allowed" in p.reason


# --------------------------------------------------------------------------- aliases and merge keys

def test_small_alias_is_copied(yaml_loader):
    data = load("base: &b {x: 1}\nuse: *b\n")
    assert data == {"base": {"x": 1}, "use": {"x": 1}}
    assert data["base"] is not data["use"]


def test_alias_limit_is_configurable(yaml_loader):
    text = "base: &b [1, 2, 3]\nuse: *b\n"
    assert load(text, limits=Limits(max_alias_expansions=4))["use"] == [1, 2, 3]
    assert "aliases expand" in problem(text, limits=Limits(max_alias_expansions=3)).reason


def test_alias_bomb_rejected_fast(yaml_loader):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghij"
    for i in range(1, 10):
        levels.append(f"{names[i]}: &{names[i]} [" + ", ".join(["*" + names[i - 1]] * 9) + "]")
    start = time.perf_counter()
    p = problem("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 2
    assert "aliases expand to more than 10000 nodes" in p.reason and p.line is not None


def test_recursive_and_undefined_alias(yaml_loader):
    # the pure-Python parser accepts the recursive form; both must give an InputError
    assert problem("a: &x [1, *x]\n").line == 1
    p = problem("a: 1\nb: *nope\n")
    assert p.line == 2 and "*nope" in p.reason


def test_merge_key_rejected(yaml_loader):
    p = problem("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    assert p.line == 3 and "merge keys" in p.reason and p.field == "item"


# --------------------------------------------------------------------------- duplicate keys

def test_yaml_duplicate_key_nested(yaml_loader):
    p = problem("members:\n  - id: m-1\n    name: A\n    name: B\n")
    assert p.line == 4 and p.field == "members[0].name"
    assert "duplicate key 'name'" in p.reason and "line 3" in p.reason


def test_json_duplicate_key_nested():
    p = problem('{"members": [\n {"id": 1},\n {"id": 2,\n  "name": "A",\n  "name": "B"}\n]}', "json")
    assert p.line == 5 and p.field == "members[1].name"
    assert "duplicate key 'name'" in p.reason and "line 4" in p.reason


def test_json_duplicate_key_top_level():
    p = problem('{"a": 1,\n"a": 2}', "json")
    assert (p.line, p.field) == (2, "a") and "line 1" in p.reason


# --------------------------------------------------------------------------- encoding and characters

def test_utf8_bom_accepted(yaml_loader):
    assert load(b"\xef\xbb\xbfname: \xe7\xba\xa2\xe6\x9e\xab\n") == {"name": "红枫"}
    assert load(b'\xef\xbb\xbf{"a": 1}', "json") == {"a": 1}
    assert load("\ufeffa: 1\n") == {"a": 1}


def test_latin1_rejected_with_offset():
    p = problem("a: 1\nname: caf\xe9\n".encode("latin-1"))
    assert "not valid UTF-8" in p.reason and "byte offset 14" in p.reason and "0xE9" in p.reason
    assert p.line == 2


def test_invalid_utf8_offset_counts_bom():
    p = problem(b'\xef\xbb\xbf{"a": "\xff"}', "json")
    assert "byte offset 10" in p.reason


@pytest.mark.parametrize("data,name", [("a: 1\n".encode("utf-16"), "UTF-16"),
                                        ("a: 1\n".encode("utf-32"), "UTF-32"),
                                        ("a: 1\n".encode("utf-16-be"), None)])
def test_utf16_32_rejected(data, name):
    if name is None:  # no BOM: the NUL bytes are caught as control characters
        data = b"\xfe\xff" + data
        name = "UTF-16"
    p = problem(data)
    assert name in p.reason and "UTF-8" in p.reason


@pytest.mark.parametrize("fmt,text,line,col", [("yaml", "a: 1\nb: x\x07y\n", 2, 5),
                                               ("json", '{"a":\n "x\x7fy"}', 2, 4),
                                               ("json", '{"a": 1}\x00', 1, 9)])
def test_control_characters_rejected(fmt, text, line, col):
    p = problem(text, fmt)
    assert (p.line, p.column) == (line, col) and "control character" in p.reason


def test_noncharacter_rejected():
    p = problem("a: x\ufffe\n")
    assert (p.line, p.column) == (1, 5) and "U+FFFE" in p.reason


def test_tab_cr_lf_allowed():
    assert load('{"a":\t"x",\r\n "b": 2}', "json") == {"a": "x", "b": 2}


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '[1, -Infinity]', '{"a": 1e999}'])
def test_json_nan_infinity_rejected(text):
    p = problem(text, "json")
    assert p.line == 1 and ("not allowed" in p.reason or "out of range" in p.reason)


def test_json_nan_location():
    p = problem('{"x": [\n1,\n NaN]}', "json")
    assert (p.line, p.column, p.field) == (3, 2, "x[1]") and "NaN" in p.reason


@pytest.mark.parametrize("text", ["a: .nan\n", "a: .inf\n", "a: -.Inf\n", "a: 1.0e+999\n", "a: !!float nan\n"])
def test_yaml_nan_infinity_rejected(yaml_loader, text):
    p = problem(text)
    assert p.line == 1 and p.field == "a"


@pytest.mark.parametrize("fmt,text", [("json", '{"n": ' + "9" * 5000 + "}"), ("yaml", "n: " + "9" * 5000 + "\n")])
def test_huge_integer_rejected(fmt, text):
    p = problem(text, fmt)
    assert "digits" in p.reason and p.line == 1 and p.field == "n"


# --------------------------------------------------------------------------- empty, syntax, limits

@pytest.mark.parametrize("fmt,text", [("yaml", ""), ("yaml", b""), ("yaml", "  \n\n"), ("yaml", "# only\n# comments\n"),
                                      ("yaml", "---\n"), ("json", ""), ("json", " \n\t")])
def test_empty_file(fmt, text):
    assert problem(text, fmt).reason == "file is empty"


def test_yaml_syntax_error_has_position(yaml_loader):
    p = problem("a: [1, 2\nb: 3\n")
    assert p.line is not None and p.column is not None
    assert p.reason.startswith("invalid YAML:") and "\n" not in p.reason


def test_yaml_multiple_documents_rejected(yaml_loader):
    assert problem("a: 1\n---\nb: 2\n").line == 2


def test_json_syntax_error_has_position():
    p = problem('{"a": 1,\n "b": }', "json")
    assert (p.line, p.column) == (2, 7) and p.reason.startswith("invalid JSON:")


def test_mapping_key_must_be_scalar(yaml_loader):
    assert "mapping key" in problem("? [a, b]\n: 1\n").reason


@pytest.mark.parametrize("fmt,text", [("yaml", "[" * 65 + "]" * 65), ("json", "[" * 65 + "]" * 65),
                                      ("yaml", "a:\n" + "".join(" " * i + "- \n" for i in range(1, 70))),
                                      ("json", "[" * 100_000 + "]" * 100_000),
                                      ("yaml", "[" * 100_000 + "]" * 100_000)])
def test_too_deep(fmt, text):
    p = problem(text, fmt)
    assert "nested deeper than 64" in p.reason or "nesting depth" in p.reason


def test_depth_limit_exact(yaml_loader):
    assert load("[" * 64 + "]" * 64) is not None
    assert load("[" * 64 + "]" * 64, "json") is not None
    assert load("a: [[1]]", limits=Limits(max_depth=3)) == {"a": [[1]]}
    assert "Limits.max_depth" in problem("a: [[[1]]]", limits=Limits(max_depth=3)).reason


@pytest.mark.parametrize("fmt,text,field", [("yaml", "a: 1\nitems: [1, 2, 3, 4]\n", "items"),
                                            ("json", '{"a": 1,\n "items": [1, 2, 3, 4]}', "items"),
                                            ("yaml", "{a: 1, b: 2, c: 3, d: 4}", None),
                                            ("json", '{"a": 1, "b": 2, "c": 3, "d": 4}', None)])
def test_max_records(fmt, text, field):
    limits = Limits(max_records=3)
    p = problem(text, fmt, limits)
    assert "more than 3 items" in p.reason and p.field == field
    assert load(text, fmt, Limits(max_records=4))


def test_text_size_limit():
    assert "larger than the limit" in problem("a: 12345\n", limits=Limits(max_file_bytes=5)).reason


# --------------------------------------------------------------------------- files

def test_read_document_by_extension(tmp_path):
    (tmp_path / "a.yml").write_text("a: 1\n")
    (tmp_path / "b.YAML").write_text("b: 2\n")
    (tmp_path / "c.json").write_text('{"c": 3}')
    assert read_document(tmp_path / "a.yml").data == {"a": 1}
    assert read_document(str(tmp_path / "b.YAML")).data == {"b": 2}
    doc = read_document(tmp_path / "c.json")
    assert doc.data == {"c": 3} and doc.file == str(tmp_path / "c.json")
    (tmp_path / "d.txt").write_text("a: 1\n")
    with pytest.raises(InputError, match="unsupported file type"):
        read_document(tmp_path / "d.txt")


def test_json_content_in_yaml_file_is_yaml(tmp_path):
    (tmp_path / "x.yaml").write_text('{"a": 1}')
    assert read_document(tmp_path / "x.yaml").data == {"a": 1}


def test_missing_directory_and_special_files(tmp_path):
    with pytest.raises(InputError, match="file not found") as info:
        read_document(tmp_path / "nope.yaml")
    assert info.value.problems[0].file == str(tmp_path / "nope.yaml")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path / "dir.json")
    with pytest.raises(InputError, match="cannot read file"):
        read_document(str(tmp_path / "nul\x00.yaml"))
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path / "pipe.yaml")


@pytest.mark.skipif(os.geteuid() == 0, reason="not applicable here: root can read anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read file"):
        read_document(path)


def test_size_checked_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:  # sparse: no disk used, and far too big to read quickly
        f.truncate(DEFAULT_LIMITS.max_file_bytes + 1)
    start = time.perf_counter()
    with pytest.raises(InputError, match="larger than the limit"):
        read_document(path)
    assert time.perf_counter() - start < 2
    small = tmp_path / "small.yaml"
    small.write_text("a: 123456\n")
    with pytest.raises(InputError, match="--max-file-bytes"):
        read_document(small, Limits(max_file_bytes=4))


def test_reading_does_not_modify_file(tmp_path):
    path = tmp_path / "data.yaml"
    content = b"\xef\xbb\xbfa: 1\r\nb: [1, 2]\r\n"
    path.write_bytes(content)
    os.utime(path, (1_000_000, 1_000_000))
    before = os.stat(path)
    read_document(path)
    after = os.stat(path)
    assert path.read_bytes() == content and after.st_mtime == before.st_mtime and after.st_size == before.st_size


# --------------------------------------------------------------------------- line_of

YAML_DOC = """\
version: 1
members:
  - id: m-1
    birth_date: 1990-01-01
  - id: m-2
    birth_date: 1991-02-03
    address:
      city: Hangzhou
    tags: [a, b]
"""

JSON_DOC = """\
{
  "version": 1,
  "members": [
    {"id": "m-1", "birth_date": "1990-01-01"},
    {
      "id": "m-2",
      "birth_date": "1991-02-03",
      "address":
        {"city": "Hangzhou"},
      "tags": ["a",
               "b"]
    }
  ]
}
"""


@pytest.mark.parametrize("path,line", [((), 1), (("version",), 1), (("members",), 2), (("members", 0), 3),
                                       (("members", 1, "birth_date"), 6), (("members", 1, "address"), 7),
                                       (("members", 1, "address", "city"), 8), (("members", 1, "tags", 1), 9),
                                       (("members", 1, "nope"), 5), (("members", 7, "id"), 2),
                                       (("version", "x"), 1)])
def test_line_of_yaml(yaml_loader, path, line):
    assert read_text_document(YAML_DOC, "m.yaml", "yaml").line_of(path) == line


@pytest.mark.parametrize("path,line", [((), 1), (("version",), 2), (("members",), 3), (("members", 0), 4),
                                       (("members", 0, "birth_date"), 4), (("members", 1), 5),
                                       (("members", 1, "birth_date"), 7), (("members", 1, "address"), 8),
                                       (("members", 1, "address", "city"), 9),
                                       (("members", 1, "tags", 1), 11), (("members", 1, "nope"), 5),
                                       (("members", 7, "id"), 3), (("members", "0"), 3)])
def test_line_of_json(path, line):
    doc = read_text_document(JSON_DOC, "m.json", "json")
    assert doc.line_of(path) == line
    assert doc.line_of(path) == line  # cached answer is the same


def test_line_of_alias_points_at_anchor(yaml_loader):
    doc = read_text_document("base: &b\n  x: 1\nother: 2\nuse: *b\n", "a.yaml", "yaml")
    assert doc.line_of(("use",)) == 4 and doc.line_of(("use", "x")) == 2


def test_line_of_many_records():
    text = "members:\n" + "".join(f"  - id: m-{i}\n    n: {i}\n" for i in range(2000))
    json_text = '{"members": [\n' + ",\n".join(f'{{"id": "m-{i}",\n "n": {i}}}' for i in range(2000)) + "\n]}"
    assert read_text_document(text, "m.yaml", "yaml").line_of(("members", 1500, "n")) == 2 + 1500 * 2 + 1
    assert read_text_document(json_text, "m.json", "json").line_of(("members", 1500, "n")) == 2 + 1500 * 2 + 1


# --------------------------------------------------------------------------- robustness

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1:-[]{},'\"&*!<\n #.\t?|>%@`~\\") + ["\x00", "é", "\ufeff"]),
               max_size=60), st.sampled_from(["yaml", "json"]))
def test_only_input_errors_escape(text, fmt):
    try:
        doc = read_text_document(text, "fuzz." + fmt, fmt)
    except InputError as e:
        assert e.problems and e.problems[0].file == "fuzz." + fmt
    else:
        assert isinstance(doc.line_of(()), int)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.sampled_from(["yaml", "json"]))
def test_only_input_errors_escape_bytes(data, fmt):
    try:
        read_text_document(data, "fuzz." + fmt, fmt)
    except InputError:
        pass


def test_unsupported_format():
    assert "unsupported format" in problem("a: 1", "toml").reason
