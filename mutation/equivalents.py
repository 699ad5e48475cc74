"""The surviving mutants read as equivalent: `mutation/equivalents/<module>.yaml`, one entry a mutant.

An entry names the mutant, the code it was read in (`code`: a hash of the function and of the mutant, as mutmut
generated them) and why no input the models allow can tell the two apart (`why`). While that code is unchanged
the mutant is not run again and is scored as equivalent, not as a survivor. Once the function changes (its mutants
are renumbered, or the reasoning may no longer hold) the entry is *stale*: the mutant is judged again, and
`mutation/run.py --scores` names the entry, to read again or delete. A registered mutant that a test kills is named
too: the reading was wrong.

    python mutation/run.py --equivalent NAME "why"   # register a mutant read as equivalent (its code now)
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "mutation" / "equivalents"
# the mutants read: this tree's, or another's (MUTATION_MUTANTS=/path/to/mutants, while a run goes on there)
MUTANTS = Path(os.environ.get("MUTATION_MUTANTS", ROOT / "mutants"))
PACKAGE = "hongfeng_rules."
HEADER = ("# Surviving mutants of hongfeng_rules.{module} read as equivalent (mutation/equivalents.py): `code` is the\n"
          "# function and mutant they were read in, `why` the reason no input can tell them apart.\n")


def module_of(name: str) -> str:
    """`hongfeng_rules.columns.where.x_f__mutmut_3` -> `columns.where`."""
    return name.removeprefix(PACKAGE).rpartition(".")[0]


def code_of(name: str) -> str | None:
    """A hash of the function `name` mutates and of the mutant, read from `mutants/` (None: no such mutant)."""
    import libcst as cst
    from mutmut.mutation.diff_apply import (read_functions_from_index, read_mutant_function, read_mutants_module,
                                            read_original_function)
    from mutmut.utils.file_utils import change_cwd

    module = module_of(name).replace(".", "/")
    path = next((p for p in (f"src/hongfeng_rules/{module}.py", f"src/hongfeng_rules/{module}/__init__.py")
                 if (MUTANTS / p).exists()), None)
    if path is None:
        return None
    try:
        with change_cwd(MUTANTS.parent):  # mutmut reads mutants/… from the working directory
            functions = read_functions_from_index(name, path)
            if functions is None:
                parsed = read_mutants_module(path)
                functions = read_original_function(parsed, name), read_mutant_function(parsed, name)
    except FileNotFoundError:
        return None
    original, mutant = (cst.Module([f]).code for f in functions)
    return hashlib.sha256(f"{original}\0{mutant}".encode()).hexdigest()[:12]


def entries() -> dict[str, dict]:
    """Full mutant name -> its entry ({code, why}), from every module's file."""
    out = {}
    for path in sorted(DIR.glob("*.yaml")):
        for short, entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            out[f"{PACKAGE}{path.stem}.{short}"] = entry
    return out


def standing() -> tuple[set[str], list[str]]:
    """The registered mutants whose code is unchanged, and the stale entries (changed code, or no such mutant)."""
    current, stale = set(), []
    for name, entry in entries().items():
        (current.add(name) if code_of(name) == str(entry.get("code")) else stale.append(name))
    return current, stale


def register(name: str, why: str) -> str:
    """Enter `name` as equivalent, for `why`, in its module's file; returns the code it was read in."""
    name = name if name.startswith(PACKAGE) else PACKAGE + name
    code = code_of(name)
    if code is None:
        raise SystemExit(f"no such mutant in mutants/: {name}")
    if not why.strip():
        raise SystemExit("say why the mutant is equivalent")
    module = module_of(name)
    path = DIR / f"{module}.yaml"
    known = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    known[name.rpartition(".")[2]] = {"code": code, "why": why.strip()}
    DIR.mkdir(exist_ok=True)
    body = yaml.safe_dump(dict(sorted(known.items(), key=lambda kv: _order(kv[0]))), allow_unicode=True,
                          sort_keys=False, width=118)
    path.write_text(HEADER.format(module=module) + body, encoding="utf-8")
    return code


def _order(short: str) -> tuple[str, int]:
    """A function's mutants in their number's order."""
    function, _, number = short.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0
