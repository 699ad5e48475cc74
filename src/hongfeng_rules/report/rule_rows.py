"""Several rules' results as one frame (`rule`: an index into `parts`) and each rule's fixed parts once: the shape
of a report's findings (`finding_rows.FindingRows`) and member levels (`level_rows.LevelRows`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterable

import polars as pl


@dataclass(frozen=True, eq=False)
class RuleRows:
    frame: pl.DataFrame
    parts: tuple
    SCHEMA: ClassVar[dict[str, pl.DataType]]  # the frame's columns, in order

    def __len__(self) -> int:
        return self.frame.height

    @classmethod
    def concat(cls, pieces: Iterable[RuleRows]):
        """One table of several, their `rule` indices renumbered."""
        frames, parts = [], []
        for piece in pieces:
            frames.append(piece.frame.with_columns(pl.col("rule") + len(parts)))
            parts.extend(piece.parts)
        frame = pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=cls.SCHEMA)
        return cls(frame.select(*cls.SCHEMA), tuple(parts))
