"""What the recognizer returns: entities of a type, each with its mentions."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

ENTITY_TYPES = ("person", "place", "organisation", "agreement")
#: The kinds of agreement the recognizer tells apart (an agreement record's ``kind``).
AGREEMENT_KINDS = (
    "treaty",
    "agreement",
    "accord",
    "pact",
    "deal",
    "contract",
    "memorandum",
    "letter of intent",
    "settlement",
    "arrangement",
    "protocol",
    "convention",
    "charter",
    "partnership",
    "ceasefire",
    "code",
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One stretch of an article body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


class Mentions(Sequence[Mention]):
    """Mentions held compactly, for a long body's many: a tuple of :class:`Mention`
    costs about 200 bytes a mention (a 20 MB article has 150,000), these 24 and
    each distinct text once (the caller passes equal texts as one object).

    Equal to a tuple of the same mentions; its items are made as they are read.
    """

    __slots__ = ("_ends", "_starts", "_texts")

    def __init__(self) -> None:
        self._starts = array("q")
        self._ends = array("q")
        self._texts: list[str] = []

    def append(self, start: int, end: int, text: str) -> None:
        self._starts.append(start)
        self._ends.append(end)
        self._texts.append(text)

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Mention: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Mention, ...]: ...

    def __getitem__(self, index: int | slice) -> Mention | tuple[Mention, ...]:
        if isinstance(index, slice):
            return tuple(self[n] for n in range(*index.indices(len(self))))
        return Mention(self._starts[index], self._ends[index], self._texts[index])

    def __iter__(self) -> Iterator[Mention]:
        return map(Mention, self._starts, self._ends, self._texts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | Mentions):
            return NotImplemented  # as a tuple: never equal to a list
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Mentions({tuple(self)!r})"


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place, organisation or agreement: its canonical name and every mention.

    Mentions are sorted by start.

    The canonical name is the same across articles for people and places
    ("U.S." and "the United States" are both "United States"), so it can key a
    search for "articles that mention Kishi". An agreement's name is its most
    specific mention, lower-cased, without a leading determiner.
    """

    type: str
    name: str
    mentions: tuple[Mention, ...] | Mentions
    #: An agreement's record (kind, status, parties, signatories, place, date,
    #: evidence: :mod:`reader.entities.agreement_fields`); ``None`` for other types.
    record: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def first(self) -> int:
        return self.mentions[0].start if self.mentions else -1

    def to_dict(self) -> dict[str, Any]:
        data = {
            "type": self.type,
            "name": self.name,
            "mentions": [mention.to_dict() for mention in self.mentions],
        }
        if self.record:
            data.update(self.record)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        mentions = tuple(Mention.from_dict(item) for item in data.get("mentions", ()))
        record = {k: v for k, v in data.items() if k not in ("type", "name", "mentions")}
        return cls(str(data["type"]), str(data["name"]), mentions, record or None)
