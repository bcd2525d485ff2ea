"""What the recognizer returns: entities of a type, each with its mentions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
    mentions: tuple[Mention, ...]
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
