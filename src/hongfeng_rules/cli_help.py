"""What every command of the command line shares: `--debug` in any position, and help that shows each default."""
from __future__ import annotations

import argparse

DEBUG_HELP = "show a traceback on unexpected errors (before or after the command)"


class DefaultsShown(argparse.HelpFormatter):
    """Help that ends with "(default: X)" wherever an argument has a default its text does not already state."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return f"{text} (default: %(default)s)"


def parsers(parser: argparse.ArgumentParser):
    """The parser and every (sub)command parser under it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield from parsers(sub)


def finish(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every command takes `--debug` (it keeps the value given before the command) and shows its defaults."""
    for p in parsers(parser):
        p.formatter_class = DefaultsShown
        if p is not parser:
            p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    return parser
