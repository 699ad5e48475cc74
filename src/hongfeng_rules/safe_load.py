"""The one place where untrusted YAML and JSON text is read.

Rule files, datasets and waiver files all come through `read_document` (or
`read_text_document` for in-memory text). The result is plain Python data
(dict / list / str / int / float / bool / None) plus a way to find the line
of any key path. Every failure is an `InputError` naming the file and, where
known, line, column and key path. See docs/security.md for the policy.
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from json.decoder import scanstring
from typing import Any, Callable

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .errors import InputError, fail
from .limit_names import larger_than_limit, limit_named

__all__ = ["Limits", "DEFAULT_LIMITS", "Document", "read_document", "read_text_document", "field_path"]

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C parser when available


@dataclass(frozen=True)
class Limits:
    """Resource limits for one input file."""

    max_file_bytes: int = 200 * 1024 * 1024  # per file
    max_records: int = 5_000_000  # items in any one list or mapping
    max_alias_expansions: int = 10_000  # YAML only: nodes copied through aliases
    max_depth: int = 64  # nesting depth of lists / mappings


DEFAULT_LIMITS = Limits()


def limits_of(options) -> Limits:
    """The limits chosen by options with `max_file_bytes` and `max_records` (the command line's
    --max-file-bytes, --max-records; docs/security.md)."""
    return replace(DEFAULT_LIMITS, max_file_bytes=options.max_file_bytes, max_records=options.max_records)

Path = tuple  # key path: tuple[str | int, ...]


@dataclass
class Document:
    """Loaded data and the file it came from."""

    data: Any
    file: str
    _find_line: Callable[[Path], int | None] | None = field(default=None, repr=False, compare=False)

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """1-based line of the node at `path` (or its nearest ancestor with one); None if unknown.

        For a mapping entry this is the line of its key; for a list item, of the item.
        """
        return self._find_line(tuple(path)) if self._find_line else None


def field_path(path: Path) -> str | None:
    """("members", 3, "birth_date") -> "members[3].birth_date"."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) and not isinstance(step, bool) else (
            f".{step}" if out else str(step))
    return out or None


FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}  # file suffix -> parser


# --------------------------------------------------------------------------- entry points

def read_document(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .json, .yaml or .yml file safely (see module docstring)."""
    file = os.fspath(path)
    if isinstance(file, bytes):
        file = os.fsdecode(file)
    fmt = FORMATS.get(os.path.splitext(file)[1].lower())
    if fmt is None:
        raise fail(file, "unsupported file type (expected .json, .yaml or .yml)")
    raw = read_file_bytes(file, limits)
    doc = read_text_document(raw, file, fmt, limits)
    if fmt == "json":  # look lines up by re-reading the file, so a loaded document does not keep its text
        doc._find_line = _FileLines(file)
    return doc


def read_file_bytes(file: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file no larger than the limit, read only; InputError naming why not."""
    try:
        st = os.stat(file)
        if stat.S_ISDIR(st.st_mode):
            raise fail(file, "is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise fail(file, "not a regular file")
        if st.st_size > limits.max_file_bytes:
            raise too_big(file, st.st_size, limits)
        with open(file, "rb") as f:  # read-only; never modifies the file
            return f.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise fail(file, "file not found") from None
    except OSError as e:
        raise fail(file, f"cannot read file: {e.strerror or e}") from None
    except ValueError as e:  # e.g. a NUL byte in the name
        raise fail(file, f"cannot read file: {e}") from None


def read_text_document(text: str | bytes, file: str, fmt: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse in-memory `text` ("json" or "yaml") with the same checks as `read_document`."""
    if fmt not in ("json", "yaml", "yml"):
        raise fail(file, f"unsupported format {fmt!r} (expected 'json' or 'yaml')")
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_file_bytes:
        raise too_big(file, size, limits)
    text = _decode(text, file)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        code = ord(bad.group())
        kind = "control character" if code < 0xA0 else "non-printable character"
        raise fail(file, f"{kind} U+{code:04X} is not allowed", line=line, column=col)
    if not text.strip():
        raise fail(file, "file is empty")
    try:
        if fmt == "json":
            return _load_json(text, file, limits)
        return _load_yaml(text, file, limits)
    except RecursionError:
        raise fail(file, f"nested deeper than {limits.max_depth} levels (Limits.max_depth)") from None


def too_big(file: str, size: int, limits: Limits) -> InputError:
    return fail(file, larger_than_limit(size, limits.max_file_bytes))


# --------------------------------------------------------------------------- text checks

# Same set PyYAML accepts: tab, LF, CR, printable ASCII, NEL and non-control Unicode.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_OTHER_BOMS = [(b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),
               (b"\xfe\xff", "UTF-16"), (b"\xff\xfe", "UTF-16")]


def _decode(text: str | bytes, file: str) -> str:
    """UTF-8 only; a UTF-8 BOM is stripped."""
    if isinstance(text, str):
        return text[1:] if text.startswith("\ufeff") else text
    for bom, name in _OTHER_BOMS:
        if text.startswith(bom):
            raise fail(file, f"file is {name} encoded (byte order mark found); save it as UTF-8")
    skip = 3 if text.startswith(b"\xef\xbb\xbf") else 0
    try:
        return text[skip:].decode("utf-8") if skip else text.decode("utf-8")
    except UnicodeDecodeError as e:
        offset = e.start + skip
        line = text.count(b"\n", 0, offset) + 1
        raise fail(file, f"not valid UTF-8: byte 0x{text[offset]:02X} at byte offset {offset}",
                   line=line) from None


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


# --------------------------------------------------------------------------- YAML

_TAG = "tag:yaml.org,2002:"
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")  # 010: octal in YAML 1.1, decimal in 1.2 -> keep as text
_TRUE = {"yes", "true", "on"}  # YAML 1.1 booleans, as PyYAML resolves them
_FALSE = {"no", "false", "off"}


class _Stop(Exception):
    """Internal: a problem found while building YAML data."""

    def __init__(self, reason: str, line: int | None, column: int | None = None, path: Path = ()):
        self.reason, self.line, self.column, self.path = reason, line, column, path


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _scalar(ev: ScalarEvent, loader: Any) -> Any:
    """Value of a scalar event; timestamps, sexagesimal and leading-zero numbers stay text."""
    tag, value = ev.tag, ev.value
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, value, ev.implicit)
    kind = tag[len(_TAG):] if tag.startswith(_TAG) else None
    if kind in ("str", "timestamp", "value", "merge"):
        return value
    if kind == "null":
        return None
    if kind == "bool":
        low = value.lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        raise ValueError(f"{value!r} is not a boolean")
    if kind == "int":
        t = value.replace("_", "")
        if ":" in t or _LEADING_ZERO.fullmatch(t):
            return value
        try:
            return int(t, 0)
        except ValueError:
            if t.lstrip("+-").isdigit():
                raise ValueError(f"integer has more than {sys.get_int_max_str_digits()} digits") from None
            raise ValueError(f"{value!r} is not an integer") from None
    if kind == "float":
        t = value.replace("_", "").lower()
        if ":" in t:
            return value
        if t.lstrip("+-") in (".nan", ".inf"):
            raise ValueError(f"{value} (not-a-number / infinity) is not allowed")
        try:
            f = float(t)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if not math.isfinite(f):
            raise ValueError(f"number {value} is out of range")
        return f
    raise ValueError(f"tag {_short_tag(tag)} is not allowed (only plain YAML types are read)")


_NO_KEY = object()


class _Open:
    """A list or mapping being built, with the lines of its children."""

    __slots__ = ("value", "lines", "line", "anchor", "key", "key_line", "key_lines", "path")

    def __init__(self, value: list | dict, line: int, anchor: str | None, path: Path):
        self.value, self.line, self.anchor, self.path = value, line, anchor, path
        self.lines: list | dict = [] if isinstance(value, list) else {}
        self.key: Any = _NO_KEY  # mapping: key waiting for its value
        self.key_line = 0
        self.key_lines: dict = {}


def _load_yaml(text: str, file: str, limits: Limits) -> Document:
    loader = _YamlLoader(text)
    try:
        data, lines = _build_yaml(loader, limits)
    except _Stop as e:
        raise fail(file, e.reason, line=e.line, column=e.column, field=field_path(e.path)) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        reason = "; ".join(str(p) for p in (e.context, e.problem) if p) or "invalid YAML"
        raise fail(file, f"invalid YAML: {' '.join(reason.split())}",
                   line=mark.line + 1 if mark else None,
                   column=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise fail(file, f"invalid YAML: {' '.join(str(e).split())}") from None
    finally:
        loader.dispose()
    return Document(data, file, _find_in_tree(lines))


def _build_yaml(loader: Any, limits: Limits) -> tuple[Any, Any]:
    """Build plain data and a parallel tree of line numbers from the event stream."""
    stack: list[_Open] = []
    anchors: dict[str, tuple[Any, Any]] = {}  # name -> (value, lines)
    building: set[str] = set()
    copies = [0]  # nodes created through aliases so far
    root: Any = _NO_KEY
    root_lines: Any = None
    docs = 0

    def here() -> Path:
        top = stack[-1] if stack else None
        if top is None:
            return ()
        if isinstance(top.value, list):
            return top.path + (len(top.value),)
        return top.path + ((top.key,) if top.key is not _NO_KEY else ())

    def copy(value: Any, depth: int, line: int) -> Any:
        copies[0] += 1
        if copies[0] > limits.max_alias_expansions:
            raise _Stop(f"aliases expand to more than {limits.max_alias_expansions} nodes "
                        "(Limits.max_alias_expansions)", line, path=here())
        if isinstance(value, (list, dict)):
            if depth > limits.max_depth:
                raise _Stop(f"nested deeper than {limits.max_depth} levels (Limits.max_depth)",
                            line, path=here())
            if isinstance(value, list):
                return [copy(v, depth + 1, line) for v in value]
            return {k: copy(v, depth + 1, line) for k, v in value.items()}
        return value

    def add(value: Any, lines: Any, line: int, column: int | None) -> None:
        nonlocal root, root_lines
        if not stack:
            root, root_lines = value, lines
            return
        top = stack[-1]
        if len(top.value) >= limits.max_records and (top.key is _NO_KEY or isinstance(top.value, list)):
            raise _Stop(f"more than {limits.max_records} items {limit_named('max_records')}", line, column, top.path)
        if isinstance(top.value, list):
            top.value.append(value)
            top.lines.append(lines)
        elif top.key is _NO_KEY:
            if isinstance(value, (list, dict)):
                raise _Stop("mapping key must be a plain value, not a list or mapping", line, column, top.path)
            if value in top.key_lines:
                raise _Stop(f"duplicate key {value!r} (first at line {top.key_lines[value]})",
                            line, column, top.path + (value,))
            top.key, top.key_line = value, line
            top.key_lines[value] = line
        else:
            top.value[top.key] = value
            top.lines[top.key] = (top.key_line, lines[1]) if isinstance(lines, tuple) else top.key_line
            top.key = _NO_KEY

    while loader.check_event():
        ev = loader.get_event()
        cls = type(ev)
        mark = ev.start_mark
        line = mark.line + 1
        if cls is ScalarEvent:
            try:
                value = _scalar(ev, loader)
            except ValueError as e:
                raise _Stop(str(e), line, mark.column + 1, here()) from None
            if (ev.tag is None and value == "<<" and stack and isinstance(stack[-1].value, dict)
                    and stack[-1].key is _NO_KEY and ev.implicit[0]):
                raise _Stop("merge keys (<<) are not allowed; write the keys out", line, mark.column + 1,
                            stack[-1].path)
            if not stack and ev.implicit[0] and value is None and ev.value == "":
                raise _Stop("file is empty", None)
            if ev.anchor:
                anchors[ev.anchor] = (value, line)
            add(value, line, line, mark.column + 1)
        elif cls is SequenceStartEvent or cls is MappingStartEvent:
            kind = "seq" if cls is SequenceStartEvent else "map"
            if ev.tag not in (None, "!", _TAG + kind):
                raise _Stop(f"tag {_short_tag(ev.tag)} is not allowed (only plain YAML types are read)",
                            line, mark.column + 1, here())
            if len(stack) >= limits.max_depth:
                raise _Stop(f"nested deeper than {limits.max_depth} levels (Limits.max_depth)",
                            line, mark.column + 1, here())
            frame = _Open([] if kind == "seq" else {}, line, ev.anchor, here())
            if ev.anchor:
                building.add(ev.anchor)
            stack.append(frame)
        elif cls is SequenceEndEvent or cls is MappingEndEvent:
            frame = stack.pop()
            lines = (frame.line, frame.lines)
            if frame.anchor:
                building.discard(frame.anchor)
                anchors[frame.anchor] = (frame.value, lines)
            add(frame.value, lines, frame.line, None)
        elif cls is AliasEvent:
            if ev.anchor in building:
                raise _Stop(f"alias *{ev.anchor} refers to a node that contains it", line, mark.column + 1,
                            here())
            if ev.anchor not in anchors:
                raise _Stop(f"alias *{ev.anchor} has no anchor &{ev.anchor} before it", line,
                            mark.column + 1, here())
            value, lines = anchors[ev.anchor]
            add(copy(value, len(stack) + 1, line), lines, line, mark.column + 1)
        elif cls is DocumentStartEvent:
            docs += 1
            if docs > 1:
                raise _Stop("more than one YAML document in the file (found a second '---')", line)
    if root is _NO_KEY:
        raise _Stop("file is empty", None)
    return root, root_lines


def _find_in_tree(tree: Any) -> Callable[[Path], int | None]:
    """Line lookup in the tree built with the data: int for a leaf, (line, children) for a node."""
    def find(path: Path) -> int | None:
        node = tree
        for step in path:
            if not isinstance(node, tuple):
                break
            children = node[1]
            if isinstance(children, list):
                if not isinstance(step, int) or not -len(children) <= step < len(children):
                    break
            elif step not in children:
                break
            node = children[step]
        return node[0] if isinstance(node, tuple) else node
    return find


# --------------------------------------------------------------------------- JSON

class _Bad(ValueError):
    """Internal: a value the strict JSON decoder refuses."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Bad(f"duplicate key {key!r}")
            seen.add(key)
    return d


def _constant(name: str) -> float:
    raise _Bad(f"{name} is not allowed (not a number / infinity)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Bad(f"number {text} is out of range")
    return value


_STRICT = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_finite)
_WS = re.compile(r"[ \t\n\r]*")


def _load_json(text: str, file: str, limits: Limits) -> Document:
    try:
        data = _STRICT.decode(text)
    except json.JSONDecodeError as e:
        raise fail(file, f"invalid JSON: {e.msg}", line=e.lineno, column=e.colno) from None
    except ValueError:  # duplicate key, NaN, huge int...: find where, lazily
        lines = _JsonLines(text)
        path, pos, reason = _locate_json_problem(text, lines)
        line, column = _line_col(text, pos)
        raise fail(file, reason, line=line, column=column, field=field_path(path)) from None
    lines = _JsonLines(text)
    problem = _check_shape(data, limits)
    if problem:
        path, reason = problem
        raise fail(file, reason, line=lines(path), field=field_path(path))
    return Document(data, file, lines)


def _check_shape(data: Any, limits: Limits) -> tuple[Path, str] | None:
    """Depth and size limits, checked after a fast JSON load."""
    stack = [(data, 1, ())] if type(data) is dict or type(data) is list else []
    while stack:
        value, depth, path = stack.pop()
        if depth > limits.max_depth:
            return path, f"nested deeper than {limits.max_depth} levels (Limits.max_depth)"
        if len(value) > limits.max_records:
            return path, f"more than {limits.max_records} items {limit_named('max_records')}"
        for key, child in (value.items() if type(value) is dict else enumerate(value)):
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1, path + (key,)))
    return None


class _Inside(Exception):
    """Internal: decoding the member `key` (value at text[pos]) failed."""

    def __init__(self, key: str | int, place: int, pos: int, error: BaseException):
        self.key, self.place, self.pos, self.error = key, place, pos, error


def _members(text: str, pos: int):
    """Yield (key, place, value_pos) for each member of the object/array at text[pos].

    `place` is where the key (object) or the item (array) starts. Each value is
    decoded strictly to find its end; a failure raises `_Inside`.
    """
    is_object = text[pos] == "{"
    close = "}" if is_object else "]"
    pos = _WS.match(text, pos + 1).end()
    index = 0
    while text[pos] != close:
        place = pos
        if is_object:
            key, pos = scanstring(text, pos + 1)
            pos = _WS.match(text, _WS.match(text, pos).end() + 1).end()  # past ':'
        else:
            key = index
        try:
            end = _STRICT.raw_decode(text, pos)[1]
        except (ValueError, RecursionError) as e:
            raise _Inside(key, place, pos, e) from None
        yield key, place, pos
        pos = _WS.match(text, end).end()
        if text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
        index += 1


def _locate_json_problem(text: str, lines: "_JsonLines") -> tuple[Path, int, str]:
    """Descend into the member that fails to decode until the culprit is found."""
    pos, path = _WS.match(text).end(), ()
    while text[pos] in "[{":
        seen: dict = {}
        try:
            for key, place, _ in _members(text, pos):
                if key in seen:
                    return path + (key,), place, f"duplicate key {key!r} (first at line {lines.line(seen[key])})"
                seen[key] = place
        except _Inside as e:
            path += (e.key,)
            if text[e.pos] in "[{":
                pos = e.pos
                continue
            return path, e.pos, _reason(e.error)
        break
    try:
        _STRICT.raw_decode(text, pos)
    except (ValueError, RecursionError) as e:
        return path, pos, _reason(e)
    return path, pos, "invalid JSON"


def _reason(error: BaseException) -> str:
    if isinstance(error, _Bad):
        return str(error)
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if "digits" in str(error):
        return f"integer has more than {sys.get_int_max_str_digits()} digits"
    return f"invalid JSON: {' '.join(str(error).split())}"


class _FileLines:
    """JSON line lookup that reads the file again on first use (only an error report needs lines)."""

    def __init__(self, file: str):
        self.file, self.lines = file, None

    def __call__(self, path: Path) -> int | None:
        if self.lines is None:
            with open(self.file, "rb") as f:
                self.lines = _JsonLines(_decode(f.read(), self.file))
        return self.lines(path)


class _JsonLines:
    """Line lookup for JSON, computed only when asked by re-scanning the text (cached per container)."""

    def __init__(self, text: str):
        self.text = text
        self.children: dict[Path, array | dict] = {}
        self.newlines: array | None = None

    def __call__(self, path: Path) -> int | None:
        text = self.text
        pos = place = _WS.match(text).end()
        for i, step in enumerate(path):
            if text[pos] not in "[{":
                break
            kids = self.children.get(path[:i])
            if kids is None:
                kids = self.children[path[:i]] = self._index(pos)
            if isinstance(kids, array):
                if type(step) is not int or not 0 <= step < len(kids):
                    break
                place = pos = kids[step]
            else:
                if step not in kids:
                    break
                place, pos = kids[step]
        return self.line(place)

    def _index(self, pos: int) -> array | dict:
        if self.text[pos] == "[":
            return array("q", (place for _, place, _ in _members(self.text, pos)))
        return {key: (place, value_pos) for key, place, value_pos in _members(self.text, pos)}

    def line(self, pos: int) -> int:
        if self.newlines is None:
            self.newlines = array("q", (m.start() for m in re.finditer("\n", self.text)))
        return bisect_right(self.newlines, pos - 1) + 1
