"""Hidden characters (bidi controls, zero-width) in data-derived text — names, titles, messages — are shown
visibly escaped (`<U+202E>`) in every report a person reads: text, Markdown, HTML (its tree, grid, charts and the
cards' data, compressed or not), the derived tables, what-if and diff text (issue #17, class 7). JSON keeps
the data as given."""
from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
from pathlib import Path

from hongfeng_rules.cli import main
from hongfeng_rules.invisible import _HIDDEN
from hongfeng_rules.report import html_detail

HOSTILE = Path(__file__).resolve().parent / "hostile"
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
HIDDEN = "\u202e\u2066\u200b\u200d\ufeff\u00ad"  # override, isolate, zero-width space and joiner, BOM, soft hyphen
SHOWN = "<U+202E><U+2066><U+200B><U+200D><U+FEFF><U+00AD>"


def hostile_names(tmp_path: Path) -> tuple[Path, Path]:
    """The corpus's valid dataset with hidden characters in every name, no training (so a card is shown), and a
    pack whose rule title, sentence and message hide characters too."""
    data = json.loads((HOSTILE / "valid.json").read_text(encoding="utf-8"))
    data["associations"][0]["name"] = f"Assoc{HIDDEN}"
    data["teams"][0]["name"] = f"Team{HIDDEN}"
    for m in data["members"]:
        m["name"] = f"{m['name']}{HIDDEN}"
    data["trainings"] = []
    dataset = tmp_path / "names.json"
    dataset.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    pack = tmp_path / "pack"
    shutil.copytree(HOSTILE / "_pack", pack)
    rule = pack / "hf-5.3.1-trainings.yaml"
    text = rule.read_text(encoding="utf-8").replace("en: Holds trainings}", f"en: Holds{HIDDEN} trainings}}")
    text = text.replace('en: "{measured} trainings"', f'en: "{{measured}} trainings{HIDDEN}"')
    rule.write_text(text, encoding="utf-8")
    return dataset, pack


def report(capsys, tmp_path: Path, fmt: str, *extra: str) -> str:
    dataset, pack = hostile_names(tmp_path)
    code = main(["check", str(dataset), "--rules", str(pack), *WHEN, "--format", fmt, *extra])
    out, err = capsys.readouterr()
    assert code == 1 and "internal error" not in err, err  # the training rule fails: a card is shown
    return out


def test_markdown_escapes_hidden_characters_visibly(tmp_path, capsys):
    out = report(capsys, tmp_path, "markdown")
    assert not _HIDDEN.search(out)
    md_shown = SHOWN.replace("<", "\\<").replace(">", "\\>").replace("+", "\\+")  # escaped, so GitHub does not read a tag
    for name in ("Assoc", "Team", "trainings"):
        assert f"{name}{md_shown}" in out, name


def test_html_escapes_hidden_characters_visibly_in_markup_and_card_data(tmp_path, capsys):
    out = report(capsys, tmp_path, "html")
    assert not _HIDDEN.search(out)
    html_shown = SHOWN.replace("<", "&lt;").replace(">", "&gt;")
    assert f"Team{html_shown}" in out and f"Assoc{html_shown}" in out  # the tree, grid and charts
    cards = "".join(re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', out))
    json_shown = SHOWN.replace("<", "\\u003c").replace(">", "\\u003e")
    assert f"Holds{json_shown} trainings" in cards and f"Team{json_shown}" in cards


def test_compressed_card_data_escapes_them_too(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(html_detail, "COMPRESS_ABOVE", 0)
    out = report(capsys, tmp_path, "html")
    chunks = re.findall(r'data-enc="gzip">([^<]*)</script>', out)
    assert chunks
    text = "".join(gzip.decompress(base64.b64decode(c)).decode("utf-8") for c in chunks)
    assert not _HIDDEN.search(text) and f"Team{SHOWN}" in text and f"trainings{SHOWN}" in text


def test_json_keeps_the_data_as_given(tmp_path, capsys):
    out = json.loads(report(capsys, tmp_path, "json"))
    assert out["teams"][0]["name"] == f"Team{HIDDEN}"


def test_the_derived_text_escapes_level_names():
    from datetime import date

    from hongfeng_rules.derived_results import Derived, MemberLevel, Name
    from hongfeng_rules.report import derived_text

    level = Name(zh=f"一级{HIDDEN}", en=f"Level{HIDDEN}")
    derived = Derived(levels=[MemberLevel(rule_id="hf-7.2.2-levels", clause="7.2.2", member_id="m0", as_of=date(2025, 12, 31),
                                          points=10, entries=1, adjustments=0, level=level, crossed=[], next=None,
                                          points_to_next=None)])
    for lang, members in (("en", True), ("zh", False)):
        text = derived_text.render(derived, lang, members)
        assert not _HIDDEN.search(text) and SHOWN in text, text
