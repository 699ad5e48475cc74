"""Where rule packs live: a folder given by the user, or the packs shipped with the library."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError, Problem, fail
from .pack import MANIFEST, RulePack, load_pack
from ..safe_load import DEFAULT_LIMITS, Limits


def shipped_root() -> Path | None:
    """The packs that ship with the library: installed with the package, else the source tree's rules/."""
    installed = Path(__file__).resolve().parent.parent / "packs"
    if installed.is_dir():
        return installed
    source_tree = Path(__file__).resolve().parents[3] / "rules"
    return source_tree if source_tree.is_dir() else None


def packs_root() -> Path:
    """$HONGFENG_RULES_PATH, else the shipped packs, else ./rules."""
    env = os.environ.get("HONGFENG_RULES_PATH")
    if env:
        return Path(env)
    return shipped_root() or Path("rules")


def limits_for(directory: Path, limits: Limits) -> Limits:
    """The run's limits are on untrusted input: a shipped pack is part of the library and is read with the
    library's own (DEFAULT_LIMITS), so `--max-records 10` never rejects it; a pack folder of your own gets `limits`."""
    root = shipped_root()
    return DEFAULT_LIMITS if root is not None and directory.resolve().is_relative_to(root) else limits


def pack_dirs(target: str | os.PathLike | None = None) -> list[Path]:
    """A pack folder, a folder of packs, or a shipped pack's name → the pack folders."""
    if target is None:
        target = packs_root()
    path = Path(target)
    if not path.exists() and (packs_root() / str(target)).is_dir():
        path = packs_root() / str(target)
    if (path / MANIFEST).is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if (p / MANIFEST).is_file())
        if found:
            return found
    shipped = sorted(p.name for p in packs_root().iterdir() if (p / MANIFEST).is_file()) if packs_root().is_dir() else []
    raise fail(str(target), f"not a rule pack or a folder of packs (no {MANIFEST}); shipped packs: {shipped}")


def load_packs(targets: list[str] | None = None, limits: Limits = DEFAULT_LIMITS) -> list[RulePack]:
    """Load each named pack; every problem of every pack is reported together."""
    dirs = [d for t in (targets or [None]) for d in pack_dirs(t)]
    packs, problems = [], []
    for d in dirs:
        try:
            packs.append(load_pack(d, limits_for(d, limits)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    names = [p.name for p in packs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError([Problem(str(dirs[0]), f"pack {n!r} selected twice") for n in dupes])
    return packs
