"""Ship the rule packs of rules/ inside the wheel as `hongfeng_rules/packs/` (pyproject.toml holds the rest)."""
from setuptools import find_packages, setup

setup(
    packages=find_packages("src") + ["hongfeng_rules.packs"],
    package_dir={"": "src", "hongfeng_rules.packs": "rules"},
    package_data={"hongfeng_rules": ["py.typed"], "hongfeng_rules.packs": ["*/*.yaml", "*/*.yml", "*/*.md"]},
    include_package_data=False,
)
