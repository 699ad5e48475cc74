"""The closed set of check kinds. A rule's `check.kind` picks one; nothing else can run."""
from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .count import CountCheck
from .deadline import DeadlineCheck
from .document import DocumentCheck
from .every import EveryCheck
from .frequency import FrequencyCheck
from .levels import LevelsCheck
from .mean import MeanCheck
from .rank_within import RankWithinCheck
from .ranking import RankingCheck
from .share import ShareCheck

CHECK_KINDS = {
    "count": CountCheck,
    "share": ShareCheck,
    "mean": MeanCheck,
    "every": EveryCheck,
    "frequency": FrequencyCheck,
    "deadline": DeadlineCheck,
    "document": DocumentCheck,
    "rank_within": RankWithinCheck,
    "levels": LevelsCheck,
    "ranking": RankingCheck,
}

CheckSpec = Annotated[
    Union[CountCheck, ShareCheck, MeanCheck, EveryCheck, FrequencyCheck, DeadlineCheck, DocumentCheck,
          RankWithinCheck, LevelsCheck, RankingCheck],
    Field(discriminator="kind"),
]
