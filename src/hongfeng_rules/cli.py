"""The `hongfeng-rules` command line.

Exit codes: 0 conformant, 1 a gated rule fails or is not assessable (missing evidence is never a pass;
--allow-incomplete lifts the latter), 2 bad input or rules.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import Iterable

from . import __version__
from .auditing import audit, derive, require_matched
from .cli_help import DEBUG_HELP, finish
from .whatif import apply_overlay, apply_overrides, parse_sets, render_text as render_whatif, verdict_changes
from .baseline import compare, load_report, render_text as render_baseline_text
from .errors import InputError, fail
from .invisible import escape_hidden
from .loading import load_dataset
from .tables import load_tables, load_tables_located
from .models import Dataset
from .report.model import ComplianceReport
from .report import derived_text
from .report.formats import RENDERERS, STREAMED
from .derived_results import Derived, known_scopes, only_kind
from .rulebook.cases import lint_cases, run_cases
from .rulebook.locate import load_packs
from .output import refuse_clashes, write_atomic
from .gating import EXIT_FAIL, EXIT_INPUT, EXIT_OK, GATED, gate, gate_new
from .safe_load import DEFAULT_LIMITS, limits_of
from .when import period_and_as_of
from .waivers import apply_waivers, load_waivers

PATH_HELP = "the dataset: a JSON/YAML file, an Excel workbook, a CSV or Parquet file, a folder of them, or a database URL"
PACK_HELP = "a shipped pack's name (hongfeng, yunge, …) or a pack folder; repeatable (default: hongfeng)"
LANG_HELP = "the report's language: zh (Chinese) or en (English)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hongfeng-rules", description=__doc__)
    parser.add_argument("--version", action="version", version=f"hongfeng-rules {__version__}")
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="audit a dataset (file or folder) against rule packs")
    check.add_argument("path", help=PATH_HELP)
    check.add_argument("--rules", "--pack", dest="packs", action="append", metavar="PACK", help=PACK_HELP)
    check.add_argument("--period", help="2025, 2025-Q1, 2025-03 or 2025-01-01..2025-06-30 (default: the as-of year)")
    check.add_argument("--as-of", help="date or instant the audit is judged at (default: end of period, or now)")
    check.add_argument("--format", dest="formats", action="append", type=_format_spec, metavar="FORMAT[:FILE]",
                       help=f"one of {', '.join(sorted(RENDERERS))}, optionally with the file to write it to; "
                            "repeatable: one audit, several reports (e.g. --format text --format "
                            "sarif:report.sarif --format junit:report.xml); at most one without a file, which "
                            "goes to --out or standard output (default: text)")
    check.add_argument("--out", help="write the report of the --format without a file to FILE (atomically) "
                                     "instead of standard output")
    check.add_argument("--lang", default="en", choices=["zh", "en"], help=LANG_HELP)
    check.add_argument("--fail-on", default="shall", choices=["shall", "should", "new", "never"],
                       help="exit 1 if a rule of this strength (or stronger) fails or is not assessable "
                            "(missing evidence is never a pass); new: only a shall finding that is new since "
                            "--baseline; never: always 0 (default: shall)")
    check.add_argument("--baseline", metavar="OLD.json",
                       help="an earlier JSON report: SARIF marks each result new/unchanged/updated/absent, and "
                            "--fail-on new gates only on what is new")
    check.add_argument("--allow-incomplete", action="store_true",
                       help="do not exit 1 for gated rules that are only not assessable (missing data); "
                            "a run where no gated rule could be assessed still exits 1")
    _limit_options(check)
    check.add_argument("--waivers", metavar="FILE", help="YAML/JSON waiver file applied to the findings")
    check.add_argument("--compare", metavar="REPORT", action="append", default=[],
                       help="an earlier JSON report (repeatable; default: none): the HTML report adds the trend across the periods and, "
                            "against the latest, what is newly open and what was fixed")
    check.add_argument("--set", dest="sets", action="append", metavar="RULE_ID.PARAM=VALUE",
                       help="what if: change a rule's parameter (a threshold in its unit); repeatable; the "
                            "subjects that change verdict are listed beside the report (docs/whatif.md)")
    check.add_argument("--explain", nargs="?", const="all", metavar="RULE[:SUBJECT]",
                       help="say why: the records counted and left out, the threshold in force, derived values, "
                            "what is missing; for every finding, a rule's, or one (docs/explain.md)")
    check.add_argument("--overlay", metavar="DIR", help="what if: rule files in DIR replace the rules of the same id")

    rules = sub.add_parser("rules", help="work with rule packs").add_subparsers(dest="rules_command", required=True)
    for name, text in [("lint", "validate rule files and check each has test cases"),
                       ("list", "list the rules"), ("test", "run the rules' test cases"),
                       ("matrix", "clause coverage: clause → rule ids, or why not checkable, or MISSING"),
                       ("interpretations", "the readings chosen for the standard's phrases, and the evidence kinds")]:
        p = rules.add_parser(name, help=text)
        p.add_argument("dir", nargs="?", help="a pack folder, a folder of packs, or a pack name (default: all shipped)")
        if name == "list":
            p.add_argument("--format", default="text", choices=["text", "json"], help="the list's format")
        if name == "matrix":
            p.add_argument("--format", default="markdown", choices=["markdown", "json"], help="the matrix's format")
        if name == "test":
            p.add_argument("--format", default="text", choices=["text", "junit"],
                           help="the results' format (junit: JUnit XML for a CI test tab)")
            p.add_argument("--coverage", action="store_true",
                           help="say per rule which thresholds, branches, not-assessable paths and dated values "
                                "its cases reach (docs/rule-coverage.md)")
            p.add_argument("--min", type=float, metavar="PERCENT",
                           help="with --coverage: exit 1 if the items reached are fewer than PERCENT of all")

    for name, text in [("levels", "member levels from the points ledger (7.2.2)"),
                       ("stars", "team star titles from the year's ranking (7.2.3)")]:
        p = sub.add_parser(name, help=text)
        p.add_argument("path", help=PATH_HELP)
        p.add_argument("--rules", "--pack", dest="packs", action="append", metavar="PACK", help=PACK_HELP)
        p.add_argument("--format", default="text", choices=["text", "json"], help="the results' format")
        p.add_argument("--lang", default="en", choices=["zh", "en"], help=LANG_HELP)
        if name == "levels":
            p.add_argument("--as-of", help="the day the ledger is summed to (default: now)")
        else:
            p.add_argument("--year", type=int, help="the year ranked (default: this year)")
            p.add_argument("--scope", help="all, association, or an association id (default: the rule's)")

    for p in [*rules.choices.values(), sub.choices["levels"], sub.choices["stars"]]:
        _limit_options(p)
    for p in [check, sub.choices["levels"], sub.choices["stars"]]:
        _source_options(p)
    mapping = sub.add_parser("mapping", help="column mappings for Excel, CSV, Parquet and SQL sources")
    init = mapping.add_subparsers(dest="mapping_command", required=True).add_parser(
        "init", help="propose a mapping from the sheets and headers of a workbook, file or folder")
    init.add_argument("path", help="the workbook, CSV/Parquet file or folder to read headers from")
    init.add_argument("--out", help="write the mapping to FILE instead of standard output")
    init.add_argument("--encoding", help="a CSV file's encoding (default: UTF-8 or GB18030, found)")
    template = sub.add_parser("template", help="write an empty workbook to fill in (needs no mapping)")
    template.add_argument("format", choices=["xlsx"], help="the template's format: xlsx (an Excel workbook)")
    template.add_argument("out", help="the file to write")
    template.add_argument("--pack", dest="packs", action="append", metavar="PACK",
                          help="the sheets the pack's rules need (default: hongfeng)")
    template.add_argument("--fill", metavar="DATASET", help="fill the sheets with this dataset's records")
    _limit_options(template)
    scaffold = rules.add_parser("new", help="write the skeleton of a rule and its cases (lint fails until no TODO is left)")
    scaffold.add_argument("clause", help='the clause number, as listed in pack.yaml (e.g. "5.2.6")')
    scaffold.add_argument("words", help="the id's words, e.g. core-members → hf-5.2.6-core-members")
    scaffold.add_argument("--pack", default="rules/hongfeng", help="the pack folder (default: rules/hongfeng)")
    scaffold.add_argument("--subject", default="team", help="what the rule judges (default: team)")
    diff = sub.add_parser("diff", help="what changed between two JSON reports (exit 1 if a finding is newly open)")
    diff.add_argument("old", metavar="OLD.json", help="the earlier JSON report (check --format json)")
    diff.add_argument("new", metavar="NEW.json", help="the later JSON report")
    diff.add_argument("--format", default="text", choices=["text", "json"], help="the difference's format")
    _limit_options(diff)
    serve = sub.add_parser("serve", help="run the HTTP service (extra: hongfeng-rules[service]; docs/service.md)")
    serve.add_argument("--host", help="address to listen on (default: 127.0.0.1; beyond loopback needs api_keys)")
    serve.add_argument("--port", type=int, help="port (default: 8080)")
    serve.add_argument("--config", help="the service's YAML config file")
    serve.add_argument("--new-key", action="store_true", help="print a new API key and the config entry holding its hash")
    manifest = sub.add_parser("manifest", help="write DIR/manifest.json: each data file's SHA-256 and record count "
                                               "(docs/manifest.md)")
    manifest.add_argument("dir", help="the dataset folder")
    manifest.add_argument("--check", action="store_true", help="verify the folder's manifest instead of writing it")
    _limit_options(manifest)
    _source_options(manifest)
    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("which", choices=["dataset", "report"],
                        help="dataset: what check reads (for exporters); report: what check --format json writes")
    return finish(parser)


def _limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-file-bytes", type=_positive, default=DEFAULT_LIMITS.max_file_bytes, metavar="N",
                        help=f"largest file of untrusted input read: dataset, waivers, reports, pack folders of your own; "
                             f"not the shipped packs (default: {DEFAULT_LIMITS.max_file_bytes})")
    parser.add_argument("--max-records", type=_positive, default=DEFAULT_LIMITS.max_records, metavar="N",
                        help=f"most items in any one list or mapping of such a file (default: {DEFAULT_LIMITS.max_records})")


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mapping", metavar="FILE", help="a column mapping (YAML) for Excel, CSV, Parquet or SQL")
    parser.add_argument("--encoding", help="CSV files' encoding (default: UTF-8 with or without BOM, else GB18030)")


def _format_spec(text: str) -> tuple[str, str | None]:
    """`sarif` or `sarif:report.sarif` (a colon after a known format name: a path may hold colons too)."""
    name, sep, path = text.partition(":")
    if name not in RENDERERS or (sep and not path):
        raise argparse.ArgumentTypeError(f"{text!r} is not FORMAT or FORMAT:FILE with FORMAT one of "
                                         f"{', '.join(sorted(RENDERERS))}")
    return name, path or None


def _outputs(args) -> list[tuple[str, str | None]]:
    """(format, file or None for standard output) for each report asked for; one at most on standard output."""
    specs = args.formats or [("text", None)]
    pathless = [name for name, path in specs if path is None]
    if len(pathless) > 1:
        raise fail("command line", f"{len(pathless)} --format options without a file ({', '.join(pathless)}): "
                   "only one report can go to standard output or --out; write the others to files "
                   "(--format sarif:report.sarif)", field="--format")
    return [(name, path or args.out) for name, path in specs]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # `check … | head`: the reader left; not a bug
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
        print("error: standard output: closed by the reader before the report was written (broken pipe)",
              file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # a bug, not the user's input: say so plainly, in one line
        if args.debug:
            traceback.print_exc()
        else:
            print(f"error: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)",
                  file=sys.stderr)
        return EXIT_INPUT


def cmd_check(args) -> int:
    period, as_of = period_and_as_of(args.period, args.as_of)
    limits = limits_of(args)
    packs = load_packs(args.packs or ["hongfeng"], limits)
    outputs = _outputs(args)
    refuse_clashes([path for _, path in outputs if path], {p: what for what, paths in [
        ("the dataset", [args.path]), ("the waiver file", [args.waivers]), ("the baseline", [args.baseline]),
        ("the mapping", [args.mapping]), ("a --compare report", args.compare)] for p in paths if p})
    tables, args.locate = load_tables_located(args.path, limits, mapping=args.mapping, encoding=args.encoding)
    if args.fail_on == "new" and not args.baseline:
        raise fail("command line", "--fail-on new needs --baseline OLD.json", field="--fail-on")
    args.baseline_report = load_report(args.baseline, limits) if args.baseline else None
    require_matched(tables, packs, args.path)
    changed = apply_overlay(packs, args.overlay, limits) if args.overlay else packs
    changed = apply_overrides(changed, parse_sets(args.sets or []))
    waivers = load_waivers(args.waivers, limits) if args.waivers else None
    rule_ids = [r.rule.id for p in packs for r in p.rules]

    def run(chosen, explain=None):
        report = audit(tables, chosen, period, as_of, dataset_label=args.path, explain=explain)
        return apply_waivers(report, waivers, rule_ids) if waivers is not None else report

    report = run(changed, args.explain)
    for notice in report.notices:
        print(f"warning: {getattr(notice, args.lang)}", file=sys.stderr)
    whatif = render_whatif(verdict_changes(run(packs), report)) if changed is not packs else None
    if args.fail_on == "new":
        args.exit_code = gate_new(compare(args.baseline_report, report), allow_incomplete=args.allow_incomplete)
    else:
        args.exit_code = gate(report, args.fail_on, allow_incomplete=args.allow_incomplete)
    args.gated = () if args.allow_incomplete else GATED.get(args.fail_on, ())
    del tables, run  # what the reports no longer need goes before they are rendered (SARIF's locator reads the tables)
    if not any(name == "sarif" for name, _ in outputs):
        args.locate = None
    # every report rendered before any is written, except a streamed one (JSON), written last, as it is made
    rendered = [(RENDERERS[name](report, args), path) for name, path in outputs if name not in STREAMED]
    rendered += [(STREAMED[name](report, args), path) for name, path in outputs if name in STREAMED]
    for text, path in rendered:
        if path:
            write_atomic(path, text)
        else:
            _print(text)
    on_stdout = any(path is None for _, path in outputs)
    if whatif is not None:  # beside the report: on stdout when the reports went to files, else on stderr
        (sys.stderr if on_stdout else sys.stdout).write(whatif)
    return args.exit_code


def cmd_diff(args) -> int:
    limits = limits_of(args)
    diff = compare(load_report(args.old, limits), load_report(args.new, limits))
    sys.stdout.write(diff.to_json() if args.format == "json" else render_baseline_text(diff))
    return EXIT_FAIL if diff.new else EXIT_OK


def _print(rendered: str | bytes | Iterable[bytes]) -> None:
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
        return
    sys.stdout.flush()
    for piece in [rendered] if isinstance(rendered, bytes) else rendered:
        sys.stdout.buffer.write(piece)
    sys.stdout.buffer.flush()


def cmd_rules(args) -> int:
    if args.rules_command == "new":
        from .rulebook.scaffold import new_rule
        for path in new_rule(args.pack, args.clause, args.words, args.subject):
            print(f"wrote {path}")
        print("replace every TODO, then: hongfeng-rules rules lint && hongfeng-rules rules test")
        return EXIT_OK
    packs = load_packs([args.dir] if args.dir else None, limits_of(args))
    if args.rules_command in ("matrix", "interpretations"):
        from .rulebook import coverage
        if args.rules_command == "interpretations":
            sys.stdout.write(coverage.interpretations_markdown(packs))
        else:
            sys.stdout.write((coverage.matrix_json if args.format == "json" else coverage.matrix_markdown)(packs))
        return EXIT_OK
    if args.rules_command == "lint":
        problems = [p for pack in packs for rule in pack.rules for p in lint_cases(rule)]
        if problems:
            raise InputError(problems)
        print(f"ok: {sum(len(p.rules) for p in packs)} rules in {len(packs)} pack(s)")
        return EXIT_OK
    if args.rules_command == "list":
        rows = [{"id": r.rule.id, "pack": p.name, "clause": r.rule.clause, "strength": r.rule.strength,
                 "subject": r.rule.subject, "kind": r.rule.check.kind, "title": r.rule.title.model_dump(),
                 "parameters": r.rule.check.model_dump(mode="json", exclude_none=True), "file": r.file}
                for p in packs for r in p.rules]
        if args.format == "json":
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                print(escape_hidden(f"{row['id']:<45} {row['clause']:<8} {row['strength']:<7} {row['kind']:<12} "
                                    f"{row['title']['en']}"))  # a rule file's title may hide characters
        return EXIT_OK
    return rules_test(args, packs)


def rules_test(args, packs) -> int:
    """`rules test`: run the cases (with --coverage, which items they reach), print text or JUnit, gate on --min."""
    from .rulebook import case_coverage, cases_junit
    if args.min is not None and not args.coverage:
        raise fail("command line", "--min needs --coverage", field="--min")
    coverage = case_coverage.rule_coverage(packs) if args.coverage else None
    results = [r for c in coverage for r in c.results] if coverage else [r for p in packs for r in run_cases(p)]
    malformed = [p for r in results for p in r.malformed]
    if malformed:  # a cases file that cannot be read is bad input, as in `rules lint`: exit 2
        raise InputError(malformed)
    broken = [r for r in results if not r.ok]
    if args.format == "junit":
        reached = {c.rule_id: f"{len(c.items) - len(c.missing)}/{len(c.items)}" for c in coverage or []}
        sys.stdout.write(cases_junit.render(results, reached))
    else:
        for r in broken:
            for failure in r.failures:
                print(f"FAIL {r.rule_id} case {r.case!r}: {failure}")
        if coverage:
            sys.stdout.write(case_coverage.render_text(coverage))
        print(f"{len(results) - len(broken)} passed, {len(broken)} failed")
    if broken:
        return EXIT_FAIL
    if coverage and args.min is not None and case_coverage.total_percent(coverage) < args.min:
        print(f"coverage {case_coverage.total_percent(coverage):.1f}% is below --min {args.min:g}%", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_schema(args) -> int:
    model = Dataset if args.which == "dataset" else ComplianceReport
    print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_derived(args) -> int:
    """`levels` / `stars`: only the derived results, as of a day or for a year."""
    kind = "levels" if args.command == "levels" else "ranking"
    year = getattr(args, "year", None)
    period, as_of = period_and_as_of(str(year) if year is not None else None, getattr(args, "as_of", None))
    limits = limits_of(args)
    tables = load_tables(args.path, limits, mapping=args.mapping, encoding=args.encoding)
    scope = getattr(args, "scope", None)
    known = known_scopes(tables)
    if scope is not None and scope not in known:
        raise fail("command line", f"unknown scope {scope!r}; known: {sorted(known)}", field="--scope")
    packs = only_kind(load_packs(args.packs or ["hongfeng"], limits), kind, scope)
    derived = derive(tables, packs, period, as_of) or Derived()
    sys.stdout.write(derived.model_dump_json(indent=2) + "\n" if args.format == "json"
                     else derived_text.render(derived, args.lang))
    return EXIT_OK


def cmd_serve(args) -> int:
    try:
        from .service import auth, config, server
    except ImportError as exc:
        raise fail("serve", f'the service needs its extra: pip install "hongfeng-rules[service]" ({exc})') from None
    if args.new_key:
        key, digest = auth.new_key()
        print(f"key (give it to the client; it is not stored): {key}")
        print(f"config entry:\napi_keys:\n  - name: CLIENT\n    sha256: {digest}")
        return EXIT_OK
    server.run(config.load_config(args.config, host=args.host, port=args.port))
    return EXIT_OK


def cmd_mapping(args) -> int:
    """`mapping init`: a first mapping from the headers found, and what it could not place."""
    from .sources.mapping import propose_for
    text, unplaced = propose_for(args.path, args.encoding)
    if args.out:
        write_atomic(args.out, text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    for line in unplaced:
        print(f"unplaced: {line}", file=sys.stderr)
    return EXIT_OK


def cmd_manifest(args) -> int:
    """`manifest DIR`: write (or with --check, verify) the folder's manifest.json."""
    from pathlib import Path
    from .loading import load_folder
    from .manifest import NAME, write_manifest
    if not Path(args.dir).is_dir():
        raise fail(args.dir, "not a folder: a manifest describes a dataset folder")
    limits = limits_of(args)
    if args.check:
        if not (Path(args.dir) / NAME).exists():
            raise fail(str(Path(args.dir) / NAME), "no manifest to check (write one with hongfeng-rules manifest DIR)")
        dataset, _ = load_folder(Path(args.dir), limits, args.mapping, args.encoding)
        print(f"ok: {Path(args.dir) / NAME} matches the folder's files")
        return EXIT_OK
    written = write_manifest(args.dir, limits, args.mapping, args.encoding)
    records = sum(f.records for f in written.files.values())
    print(f"wrote {Path(args.dir) / NAME}: {len(written.files)} files, {records} records")
    return EXIT_OK


def cmd_template(args) -> int:
    """`template xlsx OUT`: an empty (or --fill: filled) workbook whose sheets the packs need."""
    from .sources.template import write_template
    packs = load_packs(args.packs or ["hongfeng"], limits_of(args))
    dataset = load_dataset(args.fill, limits_of(args)) if args.fill else None
    write_template(args.out, packs, dataset)
    print(f"wrote {args.out}")
    return EXIT_OK


COMMANDS = {"serve": cmd_serve, "check": cmd_check, "diff": cmd_diff, "rules": cmd_rules, "schema": cmd_schema, "levels": cmd_derived,
            "stars": cmd_derived, "mapping": cmd_mapping, "template": cmd_template, "manifest": cmd_manifest}

if __name__ == "__main__":
    sys.exit(main())
