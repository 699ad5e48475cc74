"""What the package index shows (issue 16): a licence, classifiers, project URLs, a changelog, and README
opening lines that make sense there; SARIF's helpUri points into the project's repository."""
from __future__ import annotations

import importlib.metadata
import re
import tomllib

from hongfeng_rules import __version__
from hongfeng_rules.report import sarif
from helpers import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_licence_is_apache_2_and_ships_its_text():
    assert PROJECT["license"] == "Apache-2.0" and PROJECT["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    assert importlib.metadata.metadata("hongfeng-rules")["License-Expression"] == "Apache-2.0"  # as installed


def test_classifiers_name_the_python_versions_and_no_licence_classifier():
    classifiers = PROJECT["classifiers"]
    assert f"Programming Language :: Python :: {PROJECT['requires-python'].removeprefix('>=')}" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression says it


def test_project_urls_and_sarif_help_uri_share_the_repository():
    urls = PROJECT["urls"]
    assert urls["Repository"] == urls["Homepage"] == sarif.REPOSITORY
    assert all(u.startswith(sarif.REPOSITORY) for u in urls.values())
    assert sarif.RULES_URL.startswith(sarif.REPOSITORY + "/blob/main/")
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def test_changelog_has_the_current_version():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\]", changelog, re.M)
    assert PROJECT["version"] == __version__


def test_readme_opens_with_the_two_commands_then_what_it_is():
    """The brief: the README's first lines are the two fresh-machine commands (.ci/run runs the second);
    what the package is, its licence and the package-index install follow before the details."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    title, first_block, _ = readme.split("```", 2)
    assert title.strip() == "# hongfeng-rules"
    commands = first_block.removeprefix("sh\n").strip().splitlines()
    assert len(commands) == 2 and "hongfeng-rules check examples/hongfeng" in commands[0]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    intro = readme.split("Every checkable sentence", 1)[0]
    assert "Compliance-as-code" in intro and "Apache-2.0" in intro and sarif.REPOSITORY in intro
    assert "pip install hongfeng-rules" in intro
