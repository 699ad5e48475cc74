"""The column-wise engine against the per-object one on generated provinces (issue 18): same report bytes, and
the time each audit takes (the same rules, the same process, medians of `--repeat`; at least 15 runs below ten
teams, where a run takes milliseconds), with the machine's load average before and after.

    python benchmarks/engines.py                          # 1, 100 and 300 teams, seeds 1 and 2, rates 0.1, 0.3
    python benchmarks/engines.py --sizes 1,100,1000 --seeds 3 --rates 0.1

The per-object engine is the tests' oracle, `tests/oracle/engine.py` (no longer in the package), the column-wise
one `auditing.audit`. The exit status is 1 when a report differs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the per-object oracle

from timing import load_average, timed  # noqa: E402  (benchmarks/ is on the path now)


def main(argv: list[str] | None = None) -> int:
    from generate import AS_OF, PERIOD, generate
    from hongfeng_rules import auditing, load_pack
    from oracle import engine as object_engine
    from hongfeng_rules.columns import engine
    from hongfeng_rules.models import Dataset
    from hongfeng_rules.rulebook.locate import pack_dirs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,300")
    parser.add_argument("--seeds", default="1,2")
    parser.add_argument("--rates", default="0.1,0.3")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    packs = [load_pack(d) for d in pack_dirs()]
    rules = [r for p in packs for r in p.rules]
    print(f"{sum(engine.supports(r) for r in rules)} of {len(rules)} rules run column-wise; load average "
          f"{load_average()}")
    as_of, differ = datetime.fromisoformat(AS_OF), 0
    for teams in map(int, args.sizes.split(",")):
        for seed in map(int, args.seeds.split(",")):
            for rate in map(float, args.rates.split(",")):
                dataset = Dataset.model_validate(generate(teams, seed, rate))
                out, seconds = {}, {}
                for which in ("objects", "columns"):
                    audit = {"objects": object_engine.audit, "columns": auditing.audit}[which]
                    if teams < 10:
                        audit(dataset, packs, PERIOD, as_of)  # warm: first use imports, caches
                    runs, out[which] = timed(lambda: audit(dataset, packs, PERIOD, as_of).to_json_bytes(),
                                             max(args.repeat, 15 if teams < 10 else 1))
                    seconds[which] = statistics.median(runs)
                same = out["objects"] == out["columns"]
                differ += not same
                print(f"{teams:>5} teams seed {seed} rate {rate}: {'same bytes' if same else 'DIFFERENT'} "
                      f"({len(out['objects']):,} B); audit per-object {_time(seconds['objects'])}, "
                      f"column-wise {_time(seconds['columns'])}")
    print(f"load average {load_average()}")
    return 1 if differ else 0


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())
