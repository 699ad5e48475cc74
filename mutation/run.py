"""Mutation testing of the verdict core (docs/testing.md, "Mutation testing"); not in CI.

    pip install -e ".[test,mutation]"
    python mutation/run.py                       # every verdict-core mutant not yet judged, then the scores
    python mutation/run.py timecalc.periods      # only those of one module (hongfeng_rules.timecalc.periods)
    python mutation/run.py columns.kinds         # those of a package's modules (or columns.kinds.deadline)
    python mutation/run.py --quick core          # the verdict core (GROUPS: core, data), against its own tests
    MUTATION_WORKERS=2 nice -n 19 python mutation/run.py …   # two workers, on CPU time nobody else wants
    python mutation/run.py --quick [MODULE…]     # the same against each module's own tests only (QUICK_TESTS)
    python mutation/run.py --survivors [MODULE…]  # after adding tests: the surviving mutants again
    python mutation/run.py --timeouts [MODULE…]   # the mutants that ran out of time again (a busy machine's slow
                                                 # survivor is a "timeout" too: read each one)
    python mutation/run.py --mutants NAME…       # these mutants again (a gap's new test): `columns.where.x_f__mutmut_3`
    python mutation/run.py --equivalent NAME "why"  # a survivor read as equivalent: not run again while its code stands
    python mutation/run.py --scores              # only print the scores of the last runs
    python mutation/run.py --table               # the same as docs/testing.md's table
    python mutation/run.py --estimate            # what each module's mutants would cost if all survived

mutmut's settings (which files, which tests, the Hypothesis profile, the time limit) are in pyproject.toml,
[tool.mutmut]. Results are kept in mutants/ between runs: a second run tests only mutants not yet judged
(and functions whose code changed), so a module can be run at a time on a shared machine. Delete mutants/
to start over. The scores: killed (a test failed, or the mutant ran out of its CPU-time limit) of all
mutants, per module, and each surviving mutant by name (`mutmut show NAME` prints its diff).
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from mutmut.configuration import config as mutmut_config
from mutmut.state import state as mutmut_state
from mutmut.stats import status_by_exit_code

import equivalents

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {"core": ("timecalc", "derived", "checks.where", "columns.where", "columns.derived", "columns.calendar",
                   "columns.kinds", "columns.engine", "columns.findings", "columns.messages", "columns.select",
                   "columns.exact"),  # the verdict core: what decides a status (issue 24's hour)
          "data": ("validation", "sources.mapping", "sources.fields")}  # what reads and checks a dataset
MODULES = GROUPS["core"] + GROUPS["data"]  # every mutated module; a package (columns.kinds) stands for each of its own
WORKERS = int(os.environ.get("MUTATION_WORKERS", "1"))  # one mutmut worker: the machine's two cores are shared
# (MUTATION_WORKERS=2 under `nice -n 19`: the second takes only CPU time nobody else wants)
KILLERS = ROOT / "mutants" / "killers.tsv"  # function, then a test that killed one of its mutants: one a line
WALL_SLACK = 20  # a mutant's wall-clock limit is 20 x mutmut's (collect_once): its CPU-time limit is the one that judges


# `--quick`: a module's mutants against its own tests only (these files, of those that reach the function), not
# every test that reaches it: an audit of a pack reaches nearly every function, so a surviving mutant of the full run
# costs minutes. A kill is a kill either way; a `--quick` survivor is one the module's own tests miss, and
# `--survivors` (without --quick) tells whether a wider test kills it. A function no test of its module reaches
# keeps every test that reaches it.
QUICK_TESTS = {
    "timecalc": ("test_timecalc.py", "test_as_of_edge.py", "test_hongfeng_deadlines.py", "test_columns_calendar.py",
                 "test_columns_deadline.py"),
    "derived": ("test_derived_needs.py", "test_verdict_pins.py", "test_verdicts.py", "test_columns_derived.py"),
    "checks.where": ("test_condition_language.py", "test_where_field_compare.py", "test_verdicts.py"),
    "sources": ("test_sources.py", "test_mutation_pins_sources.py"),
    "columns.where": ("test_condition_language.py", "test_where_field_compare.py", "test_columns_differential.py"),
    "columns.derived": ("test_columns_derived.py", "test_columns_differential.py", "test_verdict_pins.py"),
    "columns.calendar": ("test_columns_calendar.py", "test_columns_deadline.py"),
    "columns.kinds": ("test_check_kinds.py", "test_verdicts.py", "test_verdict_pins.py", "test_hongfeng_thresholds.py",
                      "test_levels_stars.py", "test_columns_deadline.py", "test_columns_frequency.py",
                      "test_columns_levels_ranking.py", "test_columns_rank_within.py",
                      "test_columns_rank_within_scores.py", "test_columns_exact.py", "test_columns_differential.py",
                      "test_columns_engine.py"),
    "columns.engine": ("test_columns_engine.py", "test_columns_differential.py", "test_check_kinds.py", "test_verdicts.py",
                       "test_verdict_pins.py"),
    "columns.findings": ("test_columns_engine.py", "test_columns_differential.py", "test_check_kinds.py",
                         "test_verdicts.py", "test_verdict_pins.py"),
    "columns.messages": ("test_columns_messages.py", "test_columns_engine.py", "test_columns_differential.py",
                         "test_verdicts.py"),
    "columns.select": ("test_columns_links.py", "test_columns_engine.py", "test_columns_differential.py",
                       "test_check_kinds.py", "test_verdicts.py", "test_condition_language.py"),
    "columns.exact": ("test_columns_exact.py", "test_columns_engine.py", "test_columns_differential.py",
                      "test_columns_derived.py"),
    "validation": ("test_load_tables.py", "test_loading.py", "test_tables.py", "test_trusted.py",
                   "test_mutation_pins_validation.py", "test_mutation_pins_integrity.py", "test_mutation_pins_screen.py"),
}

# ... but not the two wide differential tests: each audits every example dataset with both engines (12 and 10 s of
# the 25 a survivor of columns.where cost, of the 2-6 s one of a check kind would cost without them). The full
# run keeps them, and so does CI.
WIDE_TESTS = ("tests/test_columns_differential.py::test_both_engines_give_the_same_report",
              "tests/test_columns_differential.py::test_both_engines_reach_the_same_coverage_items")


def only_own_tests(modules: list[str]) -> None:
    """`--quick`: narrow mutmut's tests of each function (collected or loaded, not saved again) to its module's,
    and collect the stats of only those files (of these modules, or of every module): the other tests are
    "new" to mutmut in a later run, which collects their stats then. When the stats were collected afresh, mutmut's
    clean run (every test of the mutants, unmutated) is skipped: the stats run has just run them all."""
    import mutmut.__main__ as mutmut_main

    collect, run_stats = mutmut_main.collect_or_load_stats, mutmut_main.run_stats_collection
    wanted = {f for m, files in QUICK_TESTS.items() if not modules or any(_within(m, x) or _within(x, m)
                                                                          for x in modules) for f in files}

    def collect_then_narrow(*args, **kwargs):
        collect(*args, **kwargs)
        by_function = mutmut_main.state().tests_by_mangled_function_name
        for function, tests in by_function.items():
            module = function.removeprefix("hongfeng_rules.")
            files = next((f for m, f in QUICK_TESTS.items() if _within(module, m)), None)
            own = {t for t in tests if files and t.split("::")[0].removeprefix("tests/") in files
                   and t not in WIDE_TESTS}
            if own:
                by_function[function] = own

    def own_stats(runner, tests=None):
        every = tests is None
        tests = sorted(f"tests/{f}" for f in wanted) if every else \
            [t for t in tests if t.split("::")[0].removeprefix("tests/") in wanted]
        if tests:
            run_stats(runner, tests)  # exits if a test fails
        if every:  # every test a mutant of these modules runs has just passed: the clean run would repeat it
            runner.run_clean_tests = lambda tests: 0

    mutmut_main.collect_or_load_stats = collect_then_narrow
    mutmut_main.run_stats_collection = own_stats


_CACHES = ("cache", "lru_cache")  # functools' own: they wrap a function without changing what it computes


def _only_cached(node) -> bool:
    """Whether `node` is a function whose every decorator is functools' `cache` or `lru_cache(...)`."""
    import libcst as cst

    def name(decorator):
        decorator = decorator.func if isinstance(decorator, cst.Call) else decorator
        return decorator.attr.value if isinstance(decorator, cst.Attribute) else getattr(decorator, "value", None)

    return isinstance(node, cst.FunctionDef) and bool(node.decorators) and all(
        name(d.decorator) in _CACHES for d in node.decorators)


def mutate_cached_functions() -> None:
    """Let mutmut 3.8 mutate a function decorated only with `@cache`/`@lru_cache(...)`: it skips every decorated
    function but `@staticmethod`/`@classmethod` ones. Its trampoline and each mutant keep the decorator (the
    cache wraps the trampoline), and under mutmut tests/conftest.py empties every such cache before each test,
    so each test reaches the function and sees the mutant. Other decorators stay skipped."""
    from mutmut.mutation.file_mutation import MutationVisitor

    skip = MutationVisitor._skip_node_and_children
    if getattr(skip, "_cached_too", False):
        return

    def skip_but_cached(self, node) -> bool:
        if _only_cached(node):  # what mutmut checks of a function besides its decorators: a pragma, its name
            position = self.get_metadata(PositionProvider, node, None)
            return bool(position and position.start.line in self._ignored_node_lines) or \
                node.name.value in NEVER_MUTATE_FUNCTION_NAMES
        return skip(self, node)

    from libcst.metadata import PositionProvider
    from mutmut.mutation.file_mutation import NEVER_MUTATE_FUNCTION_NAMES

    skip_but_cached._cached_too = True
    MutationVisitor._skip_node_and_children = skip_but_cached


def collect_once() -> None:
    """Let mutmut's fork server collect the tests once, in one pytest session, and fork each mutant's worker from
    inside it: the worker runs its tests' items of that session (cheapest first, stopping at the first failure)
    instead of starting pytest and collecting their files again (about 3 CPU s a mutant). The stats, clean and
    forced-fail runs are mutmut's own. A test module that starts Polars' thread pool when collected is refused
    here: a worker forked after that waits on the pool's lock for ever (docs/testing.md)."""
    import mutmut.workers.isolation as isolation
    from mutmut.runners.harness import PytestRunner
    from mutmut.utils.file_utils import change_cwd

    if getattr(isolation.ForkServerRunner._forkserver_main, "_collected_once", False):
        return
    serve_forks = isolation.ForkServerRunner._forkserver_main

    class Collected(PytestRunner):
        session = None  # the fork server's session, collected once

        def warm_up(self) -> None:  # the fork server has collected the tests already
            pass

        def run_tests(self, *, mutant_name, tests) -> int:
            session = Collected.session
            if mutant_name is None or session is None:  # mutmut's clean and forced-fail runs
                return super().run_tests(mutant_name=mutant_name, tests=tests)
            by_id = {item.nodeid: item for item in session.items}
            durations = mutmut_state().duration_by_test
            function = mutant_name.rsplit("__mutmut_", 1)[0]
            killers = _killers_of(function)
            items = sorted((by_id[t] for t in tests), key=lambda item: (
                killers.get(item.nodeid, len(killers)), durations.get(item.nodeid, 0)))
            for item, next_item in zip(items, [*items[1:], None]):
                session.config.hook.pytest_runtest_protocol(item=item, nextitem=next_item)
                if session.testsfailed:
                    if item.nodeid not in killers:
                        with open(KILLERS, "a", encoding="utf-8") as out:  # one short line: an atomic append
                            out.write(f"{function}\t{item.nodeid}\n")
                    return 1
            return 0

    def in_one_session(self, work_fd: int, result_fd: int) -> None:
        import io

        import pytest

        class Serve:
            @pytest.hookimpl(tryfirst=True)
            def pytest_runtestloop(self_, session) -> bool:
                pool = [t for t in _threads() if t.startswith("polars-") and t[7:].isdigit()]
                if pool:
                    raise RuntimeError(f"Polars' thread pool ({', '.join(pool)}) was started while the tests were "
                                       "collected: a test module runs Polars at import or in a parametrization")
                Collected.session = session
                isolation.register_timeout = hang_guard
                try:
                    serve_forks(self, work_fd, result_fd)  # mutmut's loop: a worker forked per mutant
                except BaseException as exc:  # noqa: BLE001  (raised again below, outside pytest)
                    failed.append(exc)
                return True

        failed: list[BaseException] = []
        out, sys.stdout = sys.stdout, io.StringIO()  # the session's report (a worker's too) goes nowhere
        try:
            with change_cwd("mutants"):
                code = Collected().execute_pytest(["-x", "-q", "--capture=sys", "-p", "no:randomly",
                                                   *mutmut_config().pytest_add_cli_args_test_selection],
                                                  plugins=[Serve()])
        finally:
            report, sys.stdout = sys.stdout.getvalue(), out
        if Collected.session is None:
            raise RuntimeError(f"the fork server's collection failed (pytest exit {code}):\n{report[-4000:]}")
        if failed:
            raise failed[0]

    def hang_guard(pid: int, timeout_s: float) -> None:
        """mutmut's wall-clock limit, WALL_SLACK times longer: under `nice -n 19` on a shared machine a worker may
        get a few per cent of a core, and mutmut's limit would pass slow survivors off as kills. The CPU-time
        limit (RLIMIT_CPU, twice mutmut's wall limit) judges a mutant that loops; this only frees a worker
        that hangs."""
        register_timeout(pid, timeout_s * WALL_SLACK)

    register_timeout = isolation.register_timeout
    in_one_session._collected_once = True
    isolation.ForkServerRunner._forkserver_main = in_one_session
    isolation.PytestRunner = Collected  # the class get_mutant_runner gives the fork server


def _killers_of(function: str) -> dict[str, int]:
    """The tests that killed a mutant of `function` (in this run or an earlier one), the latest first: a mutant's
    worker runs them before its other tests, cheapest first, since mutants of one function mostly fall to the same
    test. The order only saves time; every test still runs until one fails."""
    if not KILLERS.exists():
        return {}
    prefix = function + "\t"
    tests = [line[len(prefix):] for line in KILLERS.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)]
    return {test: rank for rank, test in enumerate(reversed(tests))}


def _threads() -> list[str]:
    """The names of this process's threads."""
    tasks = Path("/proc/self/task")
    return [(tasks / t / "comm").read_text().strip() for t in os.listdir(tasks)]


def run(modules: list[str], names: tuple[str, ...] = ()) -> None:
    """mutmut on one worker: the named mutants, or those not yet judged (of these modules, or of the whole core),
    leaving out those read as equivalent in the code they were read in (mutation/equivalents.py).

    A module is chosen by naming its mutants not yet judged, not by narrowing `only_mutate`: mutmut drops the
    test coverage it recorded for files left out of `only_mutate`, and would then find no test for them."""
    from mutmut.__main__ import _run

    mutate_cached_functions()
    collect_once()
    os.chdir(ROOT)
    if not names:
        _generate()
        known = results()
        names = tuple(n for k in known if not modules or any(_within(k, m) for m in modules)
                      for n, status in known[k].items() if status in ("not checked", "no tests"))
        if not names:
            return  # every mutant of these modules is judged
    equivalent, _ = equivalents.standing()
    names = tuple(n for n in names if n not in equivalent)
    if names:
        _run(names, max_children=WORKERS)


def _generate() -> None:
    """mutmut's first step alone: the mutants of every file changed since the last run (by its mtime), so that a
    changed function's new mutants are among those not yet judged."""
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths
    from mutmut.mutation.trampoline import set_mutant_under_test

    set_mutant_under_test("mutant_generation")
    (ROOT / "mutants").mkdir(exist_ok=True)
    _drop_half_written()
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(WORKERS)


def _drop_half_written() -> None:
    """Delete each mutated file a stopped run left without its .meta (mutmut writes the .meta after the file, and
    would take a newer file as done: an empty or cut-off copy of the module, which every test then fails on)."""
    from mutmut.configuration import config

    for mutated in (ROOT / "mutants" / "src").rglob("*.py"):
        meta = mutated.with_name(mutated.name + ".meta")
        if config().should_mutate(mutated.relative_to(ROOT / "mutants")) and (
                not meta.exists() or meta.stat().st_mtime < mutated.stat().st_mtime):
            mutated.unlink()


def _within(module: str, name: str) -> bool:
    """Whether `module` is the module `name` or one of the package `name`'s."""
    return module == name or module.startswith(name + ".")


def results(equivalent: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Module -> {mutant name: status}, from the .meta files mutmut writes beside each mutated file; with
    `equivalent` (mutants read as equivalent, their code unchanged), "equivalent" for those not killed."""
    out: dict[str, dict[str, str]] = {}
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        module = ".".join(meta.relative_to(ROOT / "mutants" / "src").with_suffix("").with_suffix("").parts)
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if codes:
            out[module.removeprefix("hongfeng_rules.")] = {
                k: "equivalent" if equivalent and k in equivalent and status_by_exit_code[v] in (
                    "survived", "not checked") else status_by_exit_code[v] for k, v in codes.items()}
    return out


def _counts(by_name: dict[str, str]) -> tuple[Counter, int, int, str]:
    """A module's statuses, its killed (a timeout too), its judged, and the score: killed of judged, equivalents
    set aside."""
    counts = Counter(by_name.values())
    counts["timeout"] += counts.pop("segfault", 0)  # killed by a signal (an endless list's memory): read as a timeout
    killed = counts["killed"] + counts["timeout"]
    judged = len(by_name) - counts["not checked"]
    scored = judged - counts["equivalent"]
    return counts, killed, judged, f"{100 * killed / scored:.1f} %" if scored else "-"


def scores() -> None:
    equivalent, stale = equivalents.standing()
    for module, by_name in results(equivalent).items():
        counts, killed, judged, share = _counts(by_name)
        rest = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in ("killed", "timeout"))
        print(f"{module:22} {killed:4}/{judged - counts['equivalent']:<4} killed {share:>8}  "
              f"({counts['timeout']} by timeout){'; ' + rest if rest else ''}")
        for name, status in sorted(by_name.items()):
            if status == "survived":
                print(f"    survived: {name}")
            elif status in ("killed", "timeout") and name in equivalent:
                print(f"    killed, but registered as equivalent (read again): {name}")
    for name in stale:
        print(f"stale equivalent (its function changed, or no such mutant: read again or delete): {name}")


def estimate() -> None:
    """Per module: its mutants and what they would cost if every one survived (the time of every test reaching its
    function, as mutmut recorded it in the stats run: wall time on the machine as loaded then), for the full and the
    `--quick` run. A killed mutant costs only the tests up to the first that fails, and each mutant a fork."""
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    duration, tests_of = stats["duration_by_test"], stats["tests_by_mangled_function_name"]
    total = Counter()
    for module, by_name in results().items():
        n, full, quick = len(by_name), 0.0, 0.0
        files = next((f for m, f in QUICK_TESTS.items() if _within(module, m)), ())
        for name in by_name:
            tests = tests_of.get(name.rsplit("__mutmut_", 1)[0], [])
            own = [t for t in tests if t.split("::")[0].removeprefix("tests/") in files and t not in WIDE_TESTS] or tests
            full += sum(duration.get(t, 0) for t in tests)
            quick += sum(duration.get(t, 0) for t in own)
        total.update(mutants=n, full=full, quick=quick)
        print(f"{module:26} {n:5} mutants  all surviving: {full / 3600:6.1f} h full, {quick / 3600:6.1f} h --quick")
    print(f"{'all':26} {total['mutants']:5} mutants  all surviving: {total['full'] / 3600:6.1f} h full, "
          f"{total['quick'] / 3600:6.1f} h --quick; the stats run's tests: {sum(duration.values()) / 60:.1f} min")


def table() -> None:
    """The scores as docs/testing.md's table."""
    print("| module | mutants | judged | killed (by timeout or signal) | equivalent | survived | killed of judged, equivalents "
          "aside |\n|---|---|---|---|---|---|---|")
    for module, by_name in results(equivalents.standing()[0]).items():
        counts, killed, judged, share = _counts(by_name)
        print(f"| `{module}` | {len(by_name)} | {judged} | {killed} ({counts['timeout']}) | {counts['equivalent']} "
              f"| {counts['survived']} | {share} |")


def main(argv: list[str]) -> int:
    argv = [m for a in argv for m in GROUPS.get(a, (a,))] if argv[:1] != ["--equivalent"] else argv
    if argv[:1] == ["--quick"]:
        argv = argv[1:]
        only_own_tests([m for m in argv if not m.startswith("--")])
    if argv[:1] in (["--survivors"], ["--timeouts"]):  # after adding tests: the survivors (or timeouts) again
        modules, again = argv[1:], "survived" if argv[0] == "--survivors" else "timeout"
        names = tuple(n for m, by_name in results().items() if not modules or any(_within(m, x) for x in modules)
                      for n, status in by_name.items() if status == again)
        if names:
            run(modules, names)
    elif argv[:1] == ["--mutants"]:  # these mutants again, by name: the gaps a new test is meant to kill
        known = {n for by_name in results().values() for n in by_name}
        names = tuple(n if n.startswith("hongfeng_rules.") else f"hongfeng_rules.{n}" for n in argv[1:])
        unknown = [n for n in names if n not in known]
        if unknown or not names:
            print(f"no such mutant: {', '.join(unknown) or '(none named)'}", file=sys.stderr)
            return 2
        run([], names)
    elif argv[:1] == ["--equivalent"] and len(argv) == 3:  # a survivor read as equivalent: NAME "why"
        print(f"{argv[1]}: registered as equivalent in code {equivalents.register(argv[1], argv[2])}")
        return 0
    elif argv == ["--estimate"]:
        estimate()
        return 0
    elif argv == ["--table"]:
        table()
        return 0
    elif argv != ["--scores"]:
        for module in argv or MODULES:
            if not any(_within(module, m) or _within(m, module) for m in MODULES):  # a module, or a package
                print(f"unknown module {module!r}; the verdict core: {', '.join(MODULES)}", file=sys.stderr)
                return 2
        run(argv)
    scores()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
