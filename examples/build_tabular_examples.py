"""Write the Hongfeng example also as CSV (examples/hongfeng-csv/<collection>.csv) and as an Excel
workbook filled into the template (examples/hongfeng-xlsx/hongfeng.xlsx), from examples/hongfeng.

    python examples/build_tabular_examples.py

Each gives the same report as the JSON example apart from the dataset label (tests/test_sources.py).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from hongfeng_rules import load_dataset
from hongfeng_rules.rulebook.locate import load_packs
from hongfeng_rules.sources.tabulate import present, to_csv
from hongfeng_rules.sources.template import write_template

HERE = Path(__file__).resolve().parent


def main() -> None:
    dataset = load_dataset(HERE / "hongfeng")
    csv_dir = HERE / "hongfeng-csv"
    shutil.rmtree(csv_dir, ignore_errors=True)
    csv_dir.mkdir()
    for collection in present(dataset):
        (csv_dir / f"{collection}.csv").write_bytes(to_csv(dataset, collection))
    (HERE / "hongfeng-xlsx").mkdir(exist_ok=True)
    write_template(str(HERE / "hongfeng-xlsx" / "hongfeng.xlsx"), load_packs(["hongfeng"]), dataset)


if __name__ == "__main__":
    main()
