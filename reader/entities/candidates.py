"""Candidate mentions and the last layer: overlaps resolved, mentions grouped.

Every layer of :mod:`reader.entities.recognizer` (and
:mod:`reader.entities.agreements`) proposes :class:`Candidate` mentions;
:func:`resolve` keeps the strongest of overlapping ones and
:func:`group_mentions` turns the rest into entities.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from reader.entities.model import ENTITY_TYPES, Entity, Mention

_TYPE_ORDER = {name: index for index, name in enumerate(ENTITY_TYPES)}
SENTENCE_END = frozenset("\n.!?:;\"“”‘'([—–•*#>|")


@dataclass(slots=True)
class Candidate:
    """A candidate mention before grouping."""

    start: int
    end: int
    type: str
    name: str
    strength: int = 2


class Occupied:
    """Stretches of text already taken, for overlap tests in logarithmic time."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def hits(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        # Stretches may overlap each other (early layers), so look back a little.
        return any(self.ends[j] > start for j in range(index - 1, max(-1, index - 4), -1))

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def sentence_initial(body: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and body[j] in " \t\u00a0":
        j -= 1
    return j < 0 or body[j] in SENTENCE_END


# -- overlaps and grouping -----------------------------------------------------------------


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: stronger first, then longer, then earlier."""
    ordered = sorted(cands, key=lambda c: (-c.strength, -(c.end - c.start), c.start))
    kept: list[Candidate] = []
    occupied = Occupied()
    for cand in ordered:
        if cand.end <= cand.start or occupied.hits(cand.start, cand.end):
            continue
        kept.append(cand)
        occupied.add(cand.start, cand.end)
    kept.sort(key=lambda c: c.start)
    return kept


def group_mentions(cands: list[Candidate], body: str) -> list[Entity]:
    groups: dict[tuple[str, str], list[Mention]] = {}
    for cand in sorted(cands, key=lambda c: c.start):
        groups.setdefault((cand.type, cand.name), []).append(
            Mention(cand.start, cand.end, body[cand.start : cand.end])
        )
    entities = [Entity(kind, name, tuple(mentions)) for (kind, name), mentions in groups.items()]
    entities.sort(key=lambda e: (_TYPE_ORDER.get(e.type, 99), e.first, e.name))
    return entities
