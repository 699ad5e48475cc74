"""A newcomer's command line (issue 16): `--debug` before or after the command, and every command's help says
what each argument means and its default."""
from __future__ import annotations

import argparse

import pytest

from hongfeng_rules import cli
from hongfeng_rules.cli import build_parser, main
from hongfeng_rules.cli_help import parsers
from helpers import REPO

EXAMPLE = str(REPO / "examples" / "hongfeng")
WHEN = ["--period", "2025", "--as-of", "2026-01-15"]
SKIP = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)


def commands():
    return [(p.prog, p) for p in parsers(build_parser())]


@pytest.mark.parametrize("prog, parser", commands(), ids=[name for name, _ in commands()])
def test_every_argument_has_help_and_shows_its_default(prog, parser):
    for action in parser._actions:
        if isinstance(action, SKIP):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help, f"{prog} {name} has no help"
        if action.default not in (None, False, [], argparse.SUPPRESS):
            assert "default" in parser.formatter_class(prog)._get_help_string(action), f"{prog} {name}"


def test_check_help_shows_path_format_and_lang(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "path the dataset: a JSON/YAML file" in text
    assert "--format FORMAT[:FILE]" in text and "repeatable" in text and "(default: text)" in text
    assert "--lang {zh,en} the report's language: zh (Chinese) or en (English) (default: en)" in text
    assert "--debug" in text


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_command_shows_the_traceback(monkeypatch, capsys, where):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(cli, "audit", broken)
    argv = ["check", EXAMPLE, *WHEN]
    code = main(["--debug", *argv] if where == "before" else [*argv, "--debug"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and err[0].startswith("Traceback") and err[-1] == "RuntimeError: boom"


def test_without_debug_an_unexpected_error_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cli, "audit", lambda *a, **k: 1 / 0)
    assert main(["check", EXAMPLE, *WHEN]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: internal error: ZeroDivisionError: division by zero (run with --debug for a traceback)"]


def test_debug_after_a_nested_command(capsys):
    args = build_parser().parse_args(["rules", "lint", "--debug"])
    assert args.debug is True
    assert build_parser().parse_args(["rules", "lint"]).debug is False
