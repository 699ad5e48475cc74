"""hongfeng-rules: the Hongfeng volunteer-police standard as checkable policy.

    from hongfeng_rules import load_dataset, load_packs, audit
    report = audit(load_dataset("examples/hongfeng"), load_packs(["hongfeng"]), "2025", as_of)
"""
__version__ = "0.1.0"

from .auditing import audit  # noqa: E402
from .errors import InputError, Problem  # noqa: E402
from .loading import load_dataset  # noqa: E402
from .report.model import ComplianceReport, Finding  # noqa: E402
from .rulebook.locate import load_packs  # noqa: E402
from .rulebook.pack import RulePack, load_pack  # noqa: E402
from .sources import load_frames, load_upload  # noqa: E402

__all__ = ["__version__", "audit", "load_dataset", "load_frames", "load_upload", "load_pack", "load_packs", "ComplianceReport", "Finding", "InputError",
           "Problem", "RulePack"]
