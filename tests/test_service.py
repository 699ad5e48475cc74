"""The HTTP service, tested as a client calls it: a real `hongfeng-rules serve` process on a loopback port."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.service.auth import digest, new_key
from service_server import EXAMPLE, children, example_files, running, start, stop

QUERY = {"period": "2025", "as_of": "2026-01-15"}
CLI = ["check", str(EXAMPLE), "--period", "2025", "--as-of", "2026-01-15"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with running(tmp_path_factory.mktemp("service"), workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def example_upload():
    return example_files()


def cli_output(tmp_path, args) -> tuple[int, bytes]:
    out = tmp_path / "out"
    code = main(args + ["--out", str(out)])
    return code, out.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown", "html", "text"])
def test_audit_answers_the_cli_bytes_and_exit_code(client, example_upload, tmp_path, fmt):
    code, expected = cli_output(tmp_path, CLI + ["--format", fmt, "--lang", "zh"])
    r = client.post("/v1/audit", params={**QUERY, "format": fmt, "lang": "zh", "label": str(EXAMPLE)},
                    files=example_upload)
    assert r.status_code == 200, r.text
    assert r.content == expected
    assert r.headers["Hongfeng-Exit-Code"] == str(code) == "1"


def test_accept_header_chooses_the_format_and_unknown_types_are_406(client, example_upload, tmp_path):
    _, sarif = cli_output(tmp_path, CLI + ["--format", "sarif"])
    r = client.post("/v1/audit", params={**QUERY, "label": str(EXAMPLE)}, files=example_upload,
                    headers={"Accept": "text/csv;q=1, application/sarif+json;q=0.9"})
    assert r.headers["content-type"] == "application/sarif+json" and r.content == sarif
    r = client.post("/v1/audit", params=QUERY, files=example_upload, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"
    assert "sarif" in r.json()["detail"]


def test_json_body_and_envelope_carry_the_exit_code(client, tmp_path):
    dataset = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
               "teams": [{"id": "t1", "name": "T", "association_id": "a1"}]}
    (tmp_path / "d.json").write_text(json.dumps(dataset), encoding="utf-8")
    code, expected = cli_output(tmp_path, ["check", str(tmp_path / "d.json"), "--period", "2025",
                                           "--as-of", "2026-01-15", "--fail-on", "never", "--format", "json"])
    r = client.post("/v1/audit", params={**QUERY, "fail_on": "never", "label": str(tmp_path / "d.json"),
                                         "envelope": "true"}, json=dataset)
    assert r.status_code == 200, r.text
    body = r.json()
    assert r.headers["content-type"] == "application/vnd.hongfeng-rules.envelope+json"
    assert body["exit_code"] == code == 0 and body["report"].encode() == expected
    assert body["exit_meaning"].startswith("conformant")


def test_bad_input_is_a_problem_with_the_cli_lines(client, tmp_path, capsys):
    bad = {"teams": [{"id": "t1", "name": "T"}], "members": [{"id": "m1", "team_id": "t9", "birth_date": "x"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad, indent=1), encoding="utf-8")
    assert main(["check", str(tmp_path / "bad.json"), "--period", "2025"]) == 2
    lines = [line.removeprefix("error: ") for line in capsys.readouterr().err.splitlines()]
    r = client.post("/v1/audit", params={"period": "2025"},
                    files=[("files", (str(tmp_path / "bad.json"), (tmp_path / "bad.json").read_bytes()))])
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert [p["text"] for p in body["problems"]] == [line.replace(str(tmp_path) + "/", "") for line in lines]
    assert body["type"].endswith("bad-input") and body["status"] == 422 and "Traceback" not in r.text
    assert {"file", "line", "record", "field", "reason"} <= set(body["problems"][0])


WAIVERS = """waivers:
  - rule_id: hf-5.2.6-core-members
    subject_id: hf-t02
    justification: Re-founded in November; recruiting
    approved_by: County association
    approved_on: 2025-11-20
    expires_on: 2026-03-31
  - rule_id: hf-5.2.4-one-captain
    subject_id: hf-t02
    justification: Captain elected in December
    approved_by: County association
    approved_on: 2025-11-20
    expires_on: 2025-12-31
"""


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_waivers_are_applied_as_the_cli_applies_them(client, example_upload, tmp_path, fmt):
    (tmp_path / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    code, expected = cli_output(tmp_path, CLI + ["--format", fmt, "--waivers", str(tmp_path / "waivers.yaml")])
    _, unwaived = cli_output(tmp_path, CLI + ["--format", fmt])
    r = client.post("/v1/audit", params={**QUERY, "format": fmt, "label": str(EXAMPLE)},
                    files=[*example_upload, ("waivers", ("waivers.yaml", WAIVERS.encode()))])
    assert r.status_code == 200, r.text
    assert r.content == expected != unwaived
    assert r.headers["Hongfeng-Exit-Code"] == str(code)
    if fmt == "json":  # one in force (waived), one expired before as-of (still failing, listed)
        report = json.loads(r.content)
        status = {(f["rule_id"], f["subject"]["id"]): f["status"] for f in report["findings"]}
        assert status["hf-5.2.6-core-members", "hf-t02"] == "waived"
        assert status["hf-5.2.4-one-captain", "hf-t02"] == "fail"
        assert [w["rule_id"] for w in report["expired_waivers"]] == ["hf-5.2.4-one-captain"]


@pytest.mark.parametrize("text, field", [
    (WAIVERS.replace("hf-5.2.6-core-members", "hf-9.9.9-nosuch"), "rule_id"),
    (WAIVERS.replace("subject_id: hf-t02", "subject_id: hf-t99", 1), "subject_id"),
    (WAIVERS.replace("expires_on: 2026-03-31", "expires_on: soon"), "expires_on"),
])
def test_a_bad_waiver_file_is_a_problem_with_the_cli_lines(client, example_upload, tmp_path, capsys, text, field):
    (tmp_path / "waivers.yaml").write_text(text, encoding="utf-8")
    assert main(CLI + ["--waivers", str(tmp_path / "waivers.yaml")]) == 2
    lines = [line.removeprefix("error: ") for line in capsys.readouterr().err.splitlines()]
    r = client.post("/v1/audit", params={**QUERY, "label": str(EXAMPLE)},
                    files=[*example_upload, ("waivers", ("waivers.yaml", text.encode()))])
    assert r.status_code == 422, r.text
    problems = r.json()["problems"]
    assert [p["text"] for p in problems] == [line.replace(str(tmp_path) + "/", "") for line in lines]
    assert problems[0]["file"] == "waivers.yaml" and problems[0]["field"] == field


def test_waivers_must_be_one_json_or_yaml_file(client, example_upload):
    for extra in ([("waivers", ("w.txt", b"waivers: []"))],
                  [("waivers", ("a.yaml", b"waivers: []")), ("waivers", ("b.yaml", b"waivers: []"))]):
        r = client.post("/v1/audit", params=QUERY, files=[*example_upload, *extra])
        assert r.status_code == 422, r.text
        assert r.json()["problems"][0]["text"].startswith(("w.txt:", "request body:"))
    r = client.post("/v1/audit", params=QUERY, files=example_upload, data={"waivers": "waivers: []"})
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "waivers"


FORM = {"period": "2025", "as_of": "2026-01-15", "lang": "zh", "pack": "hongfeng", "fail_on": "never",
        "allow_incomplete": "false", "label": str(EXAMPLE)}


@pytest.mark.parametrize("fmt", ["json", "junit", "text"])
def test_options_as_form_fields_answer_the_cli_bytes(client, example_upload, tmp_path, fmt):
    code, expected = cli_output(tmp_path, CLI + ["--format", fmt, "--lang", "zh", "--fail-on", "never"])
    r = client.post("/v1/audit", data={**FORM, "format": fmt}, files=example_upload)
    assert r.status_code == 200, r.text
    assert r.content == expected
    assert r.headers["Hongfeng-Exit-Code"] == str(code) == "0"  # fail_on=never read from the form: 1 without it
    r = client.post("/v1/audit", data={**FORM, "format": fmt, "envelope": "true"}, files=example_upload)
    assert r.json()["report"].encode() == expected and r.json()["format"] == fmt


@pytest.mark.parametrize("field, value", [
    ("lang", "fr"), ("format", "pdf"), ("fail_on", "always"), ("allow_incomplete", "maybe"), ("envelope", "2"),
    ("period", "2" * 41), ("label", "a\x01b"), ("period", "2025-13"), ("as_of", "yesterday"),
    ("pack", "../../etc"), ("mapping", "nosuch"),
])
def test_form_options_are_refused_as_the_query_refuses_them(client, example_upload, field, value):
    by_query = client.post("/v1/audit", params={field: value}, files=example_upload)
    by_form = client.post("/v1/audit", data={field: value}, files=example_upload)
    assert by_query.status_code == by_form.status_code == 422, by_form.text
    assert by_form.headers["content-type"] == "application/problem+json"
    q, f = by_query.json()["problems"], by_form.json()["problems"]
    assert [(p["field"], p["reason"]) for p in f] == [(p["field"], p["reason"]) for p in q]
    if q[0]["file"] == "query":  # the options' own checks name the form; the audit's (period, as-of) are the CLI's
        assert f[0]["file"] == "form" and f[0]["field"] == field


def test_an_option_given_twice_or_as_a_file_is_refused(client, example_upload):
    r = client.post("/v1/audit", data={"period": ["2025", "2024"]}, files=example_upload)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "period"
    assert "2 times" in r.json()["detail"]
    r = client.post("/v1/audit", files=[*example_upload, ("lang", ("lang.txt", b"zh"))])
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "lang"
    packs = {"pack": ["hongfeng", "yunge"]}  # pack repeats in the form as in the query (yunge judges nothing here)
    r = client.post("/v1/audit", data=packs, files=example_upload)
    assert r.status_code == 422 and "pack yunge judges none" in r.json()["detail"]
    assert r.content == client.post("/v1/audit", params=packs, files=example_upload).content


@pytest.mark.parametrize("field, in_query, in_form", [
    ("lang", "zh", "en"), ("period", "2025", "2024"), ("pack", "hongfeng", "yunge"), ("allow_incomplete", "1", "no"),
    ("format", "json", "text"),
])
def test_an_option_in_query_and_form_must_agree(client, example_upload, field, in_query, in_form):
    r = client.post("/v1/audit", params={field: in_query}, data={field: in_form}, files=example_upload)
    assert r.status_code == 422, r.text
    assert [(p["file"], p["field"]) for p in r.json()["problems"]] == [("request", field)]
    assert "in the query" in r.json()["detail"] and "in the form" in r.json()["detail"]
    same = client.post("/v1/audit", params={**QUERY, field: in_query}, data={field: in_query}, files=example_upload)
    alone = client.post("/v1/audit", params={**QUERY, field: in_query}, files=example_upload)
    assert same.status_code == alone.status_code and same.content == alone.content


def _accepted(client, path: str) -> tuple[list[str], list[str]]:
    """The query parameters and multipart form fields the live server's OpenAPI document gives an operation."""
    operation = client.get("/openapi.json").json()["paths"][path]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["additionalProperties"] is False  # the document says what the server refuses
    return sorted(p["name"] for p in operation["parameters"]), sorted(form["properties"])


@pytest.mark.parametrize("path, typo, meant, value", [
    ("/v1/audit", "as_off", "as_of", "2026-01-15"), ("/v1/audit", "perod", "period", "2025"),
    ("/v1/audit", "formt", "format", "text"), ("/v1/levels", "as_off", "as_of", "2026-01-15"),
    ("/v1/stars", "yaer", "year", "2025"), ("/v1/stars", "Scope", "scope", "all"),
])
def test_a_mistyped_query_parameter_is_a_problem_naming_it_and_the_accepted_ones(client, example_upload, path, typo,
                                                                                 meant, value):
    query, _ = _accepted(client, path)
    r = client.post(path, params={typo: value}, files=example_upload)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
    [p] = r.json()["problems"]
    assert (p["file"], p["field"]) == ("query", typo)
    assert p["text"] == r.json()["detail"] == f"query: {typo}: unknown parameter; did you mean {meant}? " \
                                               f"accepted: {', '.join(query)}"
    assert client.post(path, params={meant: value}, files=example_upload).status_code == 200
    by_json = client.post(path, params={typo: value}, json={"teams": []})  # a JSON body: the same refusal
    assert by_json.status_code == 422 and by_json.json()["problems"] == [p]


@pytest.mark.parametrize("path, typo, meant, value", [
    ("/v1/audit", "perod", "period", "2025"), ("/v1/audit", "as-of", "as_of", "2026-01-15"),
    ("/v1/audit", "waiver", "waivers", None), ("/v1/audit", "file", "files", None),
    ("/v1/levels", "as_of", None, "2026-01-15"), ("/v1/stars", "waivers", None, None),
])
def test_a_mistyped_form_field_is_a_problem_naming_it_and_the_accepted_ones(client, example_upload, path, typo,
                                                                            meant, value):
    _, form = _accepted(client, path)
    upload = [("files" if typo != "file" else typo, f[1]) for f in example_upload]
    extra = [(typo, ("w.yaml", b"waivers: []"))] if value is None and typo != "file" else []
    r = client.post(path, data={typo: value} if value else {}, files=upload + extra)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
    [p] = r.json()["problems"]
    assert (p["file"], p["field"]) == ("form", typo)
    guess = f" did you mean {meant}?" if meant else ""
    hint = "" if path == "/v1/audit" else "; the options go in the query"
    assert p["text"] == f"form: {typo}: unknown field;{guess} accepted: {', '.join(form)}{hint}"


def test_every_unknown_name_is_named_once(client, example_upload):
    r = client.post("/v1/audit", params=[("as_off", "1"), ("as_off", "2"), ("x" * 300, "1"), ("period", "2025")],
                    files=example_upload)
    assert r.status_code == 422 and r.json()["detail"].endswith("(and 1 more)")
    assert [p["field"] for p in r.json()["problems"]] == ["as_off", "x" * 100 + "…"]
    r = client.post("/v1/audit", data={"perod": "2025", "lnag": "zh", "lang": "zh"}, files=example_upload)
    assert [(p["file"], p["field"]) for p in r.json()["problems"]] == [("form", "perod"), ("form", "lnag")]


def test_a_json_body_is_the_dataset_and_its_options_go_in_the_query(client):
    r = client.post("/v1/audit", json={"period": "2025", "teams": []})
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "period", r.text


def test_a_pack_that_judges_nothing_of_the_dataset_is_bad_input_as_in_the_cli(client, tmp_path, capsys):
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    assert main(["check", str(tmp_path / "d.json"), "--period", "2025"]) == 2
    lines = [line.removeprefix("error: ") for line in capsys.readouterr().err.splitlines()]
    r = client.post("/v1/audit", params={"period": "2025", "label": str(tmp_path / "d.json")}, json={})
    assert r.status_code == 422 and [p["text"] for p in r.json()["problems"]] == lines


@pytest.mark.parametrize("body, kind", [
    (b"{", "application/json"), (b"\x00\x01", "application/json"), (b"- [", "application/yaml"),
    (b"[]", "application/json"), (b"", "application/json"), (b"--x\r\n", "multipart/form-data; boundary=x"),
    (b"{}", "multipart/form-data"),
])
def test_malformed_bodies_are_422_problems_never_500(client, body, kind):
    r = client.post("/v1/audit", content=body, headers={"content-type": kind})
    assert r.status_code == 422, r.text
    assert r.json()["problems"][0]["text"]


def test_unsupported_body_type_is_415_and_bad_query_is_422(client):
    r = client.post("/v1/audit", content=b"a,b", headers={"content-type": "text/csv"})
    assert r.status_code == 415 and "multipart/form-data" in r.json()["detail"]
    r = client.post("/v1/audit", params={"lang": "fr"}, json={})
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "lang"
    r = client.post("/v1/audit", params={"period": "2025-13"}, json={"teams": []})
    assert r.status_code == 422 and "--period" in r.json()["detail"]


@pytest.mark.parametrize("pack", ["../../etc", "/tmp", "rules/hongfeng", "nosuch"])
def test_packs_only_by_configured_name(client, pack):
    r = client.post("/v1/audit", params={"pack": pack}, json={"teams": []})
    assert r.status_code == 422
    assert r.json()["problems"][0]["field"] == "pack" and "offers" in r.json()["detail"]


def test_catalog_matches_the_cli(client, capsys):
    packs = {p["pack"]: p for p in client.get("/v1/packs").json()}
    assert set(packs) == {"hongfeng", "yunge", "keqiao-zhucun", "gucheng"}
    assert main(["rules", "list", "hongfeng", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    rules = client.get("/v1/packs/hongfeng/rules").json()
    assert [r["id"] for r in rules] == [r["id"] for r in listed] and packs["hongfeng"]["rules"] == len(listed)
    rule = client.get("/v1/rules/hf-5.2.6-core-members").json()
    assert rule["clause"] == "5.2.6" and "10" in rule["source"]["zh"] and rule["pack"] == "hongfeng"
    assert "clause_text" in rule and "interpretations" in rule
    assert client.get("/v1/rules/hf-9.9.9-none").status_code == 404
    assert client.get("/v1/packs/nosuch/rules").json()["status"] == 404
    for which in ("dataset", "report"):
        assert main(["schema", which]) == 0
        assert client.get(f"/v1/schema/{which}").json() == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("command, query", [("levels", {"as_of": "2026-01-15"}), ("stars", {"year": "2025"})])
def test_levels_and_stars_match_the_cli(client, example_upload, capsys, command, query):
    flag = "--as-of" if command == "levels" else "--year"
    assert main([command, str(EXAMPLE), flag, next(iter(query.values())), "--format", "json"]) == 0
    expected = capsys.readouterr().out.encode()
    r = client.post(f"/v1/{command}", params=query, files=example_upload)
    assert r.status_code == 200 and r.content == expected


def test_health_readiness_metrics_and_openapi(client, example_upload):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    client.post("/v1/audit", params=QUERY, files=example_upload)
    text = client.get("/metrics").text
    assert 'hongfeng_audits_total{kind="audit",outcome="1"}' in text
    assert 'hongfeng_request_seconds_bucket{route="/v1/audit",le="+Inf"}' in text
    spec = client.get("/openapi.json").json()
    assert {"/v1/audit", "/v1/rules/{rule_id}", "/metrics"} <= set(spec["paths"])
    form = lambda path: spec["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    audit_form = form("/v1/audit")["properties"]
    query = {p["name"]: p["schema"] for p in spec["paths"]["/v1/audit"]["post"]["parameters"]}
    assert set(audit_form) == {"files", "waivers", *query}  # waivers and the options: audits only
    for name, schema in query.items():  # the same values as the query's, never null
        branches = [b for b in schema.get("anyOf", [schema]) if b.get("type") != "null"]
        assert [{k: audit_form[name].get(k) for k in b} for b in branches] == branches
    assert set(form("/v1/levels")["properties"]) == {"files"}
    assert client.get("/docs").status_code == 200
    assert client.get("/nowhere").headers["content-type"] == "application/problem+json"


def test_keys_401_403_and_never_logged(tmp_path):
    audit_key, audit_hash = new_key()
    metrics_key, metrics_hash = new_key()
    keys = [{"name": "dispatch", "sha256": audit_hash, "scopes": ["audit"]},
            {"name": "prometheus", "sha256": metrics_hash, "scopes": ["metrics"]}]
    marker = "秘密队员名字XYZ"
    dataset = {"teams": [{"id": "t1", "name": marker, "association_id": "a1"}],
               "associations": [{"id": "a1", "name": "A", "level": "county"}]}
    with running(tmp_path, api_keys=keys) as c:
        r = c.get("/v1/packs")
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert c.get("/v1/packs", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert c.get("/v1/packs", headers={"Authorization": f"Basic {audit_key}"}).status_code == 401
        assert c.get("/v1/packs", headers={"Authorization": f"Bearer {metrics_key}"}).status_code == 403
        assert c.get("/metrics", headers={"Authorization": f"Bearer {audit_key}"}).status_code == 403
        assert c.get("/metrics", headers={"Authorization": f"Bearer {metrics_key}"}).status_code == 200
        ok = c.post("/v1/audit", params=QUERY, json=dataset, headers={"Authorization": f"Bearer {audit_key}"})
        assert ok.status_code == 200 and marker in ok.text
        assert c.get("/healthz").status_code == 200  # health needs no key
    log = (tmp_path / "access.log").read_text(encoding="utf-8")
    entries = [json.loads(line) for line in log.splitlines()]
    assert {"dispatch", "prometheus", None} == {e["key"] for e in entries}
    assert audit_key not in log and metrics_key not in log and marker not in log and audit_hash not in log


def test_beyond_loopback_without_keys_refuses_to_start(tmp_path):
    (tmp_path / "s.yaml").write_text("host: 0.0.0.0\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hongfeng_rules.cli", "serve", "--config", str(tmp_path / "s.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "api_keys" in done.stderr and "Traceback" not in done.stderr
    assert digest("a") != digest("b") and len(digest("a")) == 64


def test_body_size_limit_with_and_without_content_length(tmp_path):
    with running(tmp_path, max_body_bytes=1000) as c:
        assert c.post("/v1/audit", content=b"{" + b" " * 999, headers={"content-type": "application/json"}
                      ).status_code == 422  # at the limit: read (and found malformed)
        r = c.post("/v1/audit", content=b"{" + b" " * 1000, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "max_body_bytes" in r.json()["detail"]
        chunks = iter([b"{", b" " * 2000, b"}"])
        r = c.post("/v1/audit", content=chunks, headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert c.get("/healthz").status_code == 200


def test_concurrency_limit_is_429_with_retry_after_and_time_limit_is_503(tmp_path, example_upload):
    with running(tmp_path, max_concurrent=1, request_seconds=20) as c:
        answers = []
        barrier = threading.Barrier(3)

        def call():
            with httpx.Client(base_url=str(c.base_url), timeout=60) as own:
                barrier.wait()
                answers.append(own.post("/v1/audit", params=QUERY, files=example_upload))

        threads = [threading.Thread(target=call) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status_code for r in answers)
        assert statuses[0] == 200 and statuses[-1] == 429, statuses
        busy = next(r for r in answers if r.status_code == 429)
        assert busy.headers["retry-after"] == "1" and busy.json()["status"] == 429
        assert c.get("/v1/packs").status_code == 200  # the slot is free again
    with running(tmp_path, request_seconds=0.05) as c:
        r = c.post("/v1/audit", params=QUERY, files=example_upload)
        assert r.status_code == 503 and "request_seconds" in r.json()["detail"]
        assert c.get("/healthz").status_code == 200


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", ["SIGTERM", "kill -9"])
def test_worker_processes_end_with_the_server(tmp_path, how):
    proc, _ = start(tmp_path, workers=2)
    workers = set(children(proc.pid))
    assert len([w for w in workers if _alive(w)]) >= 2
    if how == "kill -9":
        proc.kill()
        proc.wait()
    stop(proc)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the server"


def test_a_worker_that_dies_is_replaced(tmp_path):
    """A worker killed between jobs: the job given to it is a 500 naming what happened (never a hang), the
    pool starts another worker, and the next request is answered as before."""
    import os
    import signal
    team = json.dumps({"associations": [{"id": "a1", "name": "A", "level": "county"}],
                       "teams": [{"id": "t1", "name": "T", "association_id": "a1"}]})
    send = lambda c: c.post("/v1/audit", params=QUERY, content=team, headers={"content-type": "application/json"})
    proc, base = start(tmp_path, workers=1, request_seconds=600)  # the next request waits for the new worker
    try:
        with httpx.Client(base_url=base, timeout=600) as c:
            before = send(c)
            assert before.status_code == 200
            (worker,) = children(proc.pid)
            os.kill(worker, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(worker):
                time.sleep(0.05)
            died = send(c)
            assert died.status_code == 500 and "a worker process died" in died.json()["detail"]
            after = send(c)
            assert after.status_code == 200 and after.content == before.content
            assert [w for w in children(proc.pid) if _alive(w) and w != worker]
    finally:
        stop(proc)


def test_the_java_client_of_the_docs_runs(client, tmp_path):
    """docs/service.md's Java client, run with the JDK against the live server (CI installs a JDK)."""
    import os
    import re
    import shutil
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is missing (.ci/run installs default-jdk-headless)")
        pytest.skip("no java on this machine")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "service.md").read_text(encoding="utf-8")
    (tmp_path / "HongfengClient.java").write_text(re.search(r"```java\n(.*?)```", doc, re.S).group(1))
    dataset = {name: json.loads((EXAMPLE / f"{name}.json").read_text(encoding="utf-8"))
               for name in ("associations", "teams", "members")}
    (tmp_path / "dataset.json").write_text(json.dumps(dataset, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"teams": [{"id": 1}]}', encoding="utf-8")
    run = lambda data: subprocess.run(["java", "HongfengClient.java", str(client.base_url), data], cwd=tmp_path,
                                      capture_output=True, text=True, timeout=300)
    done = run("dataset.json")
    assert done.returncode == 1 and done.stdout.startswith("exit 1: a gated rule fails"), done.stderr
    sarif = json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"]
    bad = run("bad.json")
    assert bad.returncode == 2 and bad.stderr.startswith("422 ") and "teams[0]" in bad.stderr


def test_the_php_client_of_the_docs_runs(client, tmp_path):
    """docs/service.md's PHP client, run with php-cli against the live server (CI installs php-cli)."""
    import os
    import re
    import shutil
    if shutil.which("php") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("php is missing (.ci/run installs php-cli)")
        pytest.skip("no php on this machine")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "service.md").read_text(encoding="utf-8")
    (tmp_path / "hongfeng_client.php").write_text(re.search(r"```php\n(.*?)```", doc, re.S).group(1))
    dataset = {name: json.loads((EXAMPLE / f"{name}.json").read_text(encoding="utf-8"))
               for name in ("associations", "teams", "members")}
    (tmp_path / "dataset.json").write_text(json.dumps(dataset, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"teams": [{"id": 1}]}', encoding="utf-8")
    run = lambda data: subprocess.run(["php", "hongfeng_client.php", str(client.base_url), data], cwd=tmp_path,
                                      capture_output=True, text=True, timeout=120)
    done = run("dataset.json")
    assert done.returncode == 1 and done.stdout.startswith("exit 1: a gated rule fails"), done.stderr
    expected = client.post("/v1/audit", params={"period": "2025", "as_of": "2026-01-15", "lang": "zh"},
                           content=(tmp_path / "dataset.json").read_bytes(),
                           headers={"content-type": "application/json", "accept": "application/sarif+json"})
    assert (tmp_path / "report.sarif").read_bytes() == expected.content
    bad = run("bad.json")
    assert bad.returncode == 2 and bad.stderr.startswith("422 ") and "teams[0]" in bad.stderr


@pytest.mark.parametrize("source", ["hongfeng-xlsx/hongfeng.xlsx", "hongfeng-csv"])
def test_workbook_and_csv_uploads_answer_the_cli_bytes(client, tmp_path, source):
    path = EXAMPLE.parent / source
    code, expected = cli_output(tmp_path, ["check", str(path), "--period", "2025", "--as-of", "2026-01-15",
                                           "--format", "json"])
    files = example_files(path) if path.is_dir() else [("files", (path.name, path.read_bytes()))]
    r = client.post("/v1/audit", params={**QUERY, "label": str(path)}, files=files)
    assert r.status_code == 200, r.text
    assert r.content == expected and r.headers["Hongfeng-Exit-Code"] == str(code)


def test_mappings_only_by_configured_name(tmp_path):
    csv = EXAMPLE.parent / "hongfeng-csv"
    members = (csv / "members.csv").read_text(encoding="utf-8").splitlines()
    header = members[0].split(",")
    header[header.index("birth_date")] = "DOB_x"
    upload = tmp_path / "upload"
    upload.mkdir()
    for p in csv.iterdir():
        (upload / p.name).write_bytes(p.read_bytes())
    (upload / "members.csv").write_text("\n".join([",".join(header)] + members[1:]) + "\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("collections:\n  members:\n    columns:\n      DOB_x: birth_date\n",
                                     encoding="utf-8")
    code, expected = cli_output(tmp_path, ["check", str(upload), "--mapping", str(tmp_path / "m.yaml"),
                                           "--period", "2025", "--as-of", "2026-01-15", "--format", "json"])
    with running(tmp_path, mappings={"platform": "m.yaml"}) as c:
        r = c.post("/v1/audit", params={**QUERY, "label": str(upload), "mapping": "platform"},
                   files=example_files(upload))
        assert r.status_code == 200 and r.content == expected, r.text[:500]
        unmapped = c.post("/v1/audit", params=QUERY, files=example_files(upload))
        assert unmapped.status_code == 422 and "DOB_x" in unmapped.text, unmapped.text[:300]  # the header alone
        unknown = c.post("/v1/audit", params={**QUERY, "mapping": str(tmp_path / "m.yaml")}, files=example_files(upload))
        assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "mapping"


@pytest.mark.parametrize("options", [{"allow_incomplete": "true"}, {"allow_incomplete": "true", "fail_on": "should"},
                                     {"fail_on": "never"}, {}])
def test_junit_gates_as_the_cli_does(client, tmp_path, options):
    """The service's JUnit marks as errors exactly the not-assessables the CLI's gate counts (issue 16): on the
    Gucheng example --allow-incomplete turns a gating not-assessable <error> into <skipped>."""
    folder = EXAMPLE.parent / "gucheng"
    flags = [a for key, value in options.items()
             for a in ([f"--{key.replace('_', '-')}"] + ([value] if value != "true" else []))]
    when = {"period": "2025-Q2", "as_of": "2025-07-01"}
    code, expected = cli_output(tmp_path, ["check", str(folder), "--pack", "gucheng", "--period", when["period"],
                                           "--as-of", when["as_of"], "--format", "junit", *flags])
    r = client.post("/v1/audit", params={**when, **options, "pack": "gucheng", "format": "junit", "label": str(folder)},
                    files=example_files(folder))
    assert r.status_code == 200, r.text
    assert r.content == expected and r.headers["Hongfeng-Exit-Code"] == str(code)
    errors = expected.count(b"<error ")
    assert errors == (0 if options else 1)  # the one gating not-assessable of the example, unless accepted


def test_a_worker_pays_the_first_audits_one_time_costs_at_start_not_on_a_request():
    """jobs.start (each worker's initializer) warms up: the workday calendar, built on a first audit, is built
    at start, and a client's audit after it builds nothing more (a fresh interpreter, so nothing is cached)."""
    code = """if True:
        import json, sys
        sys.path.insert(0, sys.argv[1])
        from generate import generate
        from hongfeng_rules.service import jobs
        from hongfeng_rules.timecalc.workdays import default_calendar
        assert default_calendar.cache_info().currsize == 0
        jobs.start(["hongfeng", "yunge"], 2**25, 10**6)
        built = default_calendar.cache_info()
        team = json.dumps(generate(1, seed=1)).encode()
        result = jobs.run(jobs.Job("audit", [("t.json", team)], ["hongfeng"], period="2025", as_of="2026-01-15"))
        assert not result.problems and not result.internal
        print(built.misses, default_calendar.cache_info().misses)
    """
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).resolve().parents[1] / "benchmarks")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]
