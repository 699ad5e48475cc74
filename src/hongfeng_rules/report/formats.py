"""The report formats by name (`check --format`, the service's `format`): each renders a report to text
or bytes, given the options `check` holds (an object with `lang`, and optionally `gated`,
`baseline_report`, `locate`, `exit_code`, `compare` with `max_file_bytes`/`max_records`). `STREAMED`: the
formats that can also be written as they are made, as an iterable of byte pieces (the same bytes)."""
from __future__ import annotations

from ..safe_load import limits_of
from . import html as html_report, junit as junit_report, markdown as markdown_report, sarif as sarif_report
from . import json_stream, text as text_report, trend
from .model import ComplianceReport

RENDERERS = {
    "text": lambda report, args: text_report.render(report, args.lang),
    "json": lambda report, args: report.to_json_bytes(),
    "junit": lambda report, args: junit_report.render(report, args.lang, getattr(args, "gated", ("shall",))),
    "sarif": lambda report, args: sarif_report.render(report, args.lang, getattr(args, "baseline_report", None),
                                                      locate=getattr(args, "locate", None),
                                                      exit_code=getattr(args, "exit_code", None)),
    "markdown": lambda report, args: markdown_report.render(report, args.lang),
    "html": lambda report, args: html_report.render(report, args.lang, _trend(report, args)),
}
STREAMED = {"json": lambda report, args: json_stream.pieces(report)}


def _trend(report: ComplianceReport, args) -> trend.Trend | None:
    """The trend against `--compare` reports (callers such as the service pass no such option)."""
    paths = getattr(args, "compare", None)
    return trend.compare(report, trend.load(paths, limits_of(args))) if paths else None
