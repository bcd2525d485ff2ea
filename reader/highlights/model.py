"""A highlight: what it holds, where it is in an article's text, and whose it is.

:class:`Highlight` is one passage of one article of one corpus, with a note and
tags; :class:`Placed` is a highlight with where it is in the article's current text.
Also here: finding a quote in an article (:func:`locate_quote`), placing a highlight
(:func:`place_highlight`), the errors every highlight operation raises
(:class:`HighlightError`), and the times, notes and tags as stored.

A highlight belongs to one corpus (``corpus``: the corpus folder's full path,
:func:`corpus_key`) and one article of it (``article_id``): it is placed,
re-anchored and exported only there, and is orphaned anywhere else (another corpus
may well have an article of the same id, ``a000001``, holding the same words). A
highlight made before highlights knew their corpus (``corpus`` is "") is claimed by
the first corpus whose article of that id holds the very text it was made on (the
same content hash) or the quote with all of its prefix and suffix (:func:`belongs`);
until then it is listed, and exported, as orphaned. Nothing is dropped.

User-typed notes and tags are neutralised (:mod:`reader.support.textsafe`) when they
enter a highlight (:func:`clean_note`, :func:`clean_tags`), so they are safe to print
to a terminal. The file that keeps highlights is :mod:`reader.highlights.store`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.highlights.anchoring import Anchor, Placement, occurrences, place
from reader.support.textsafe import neutralize, one_line


class HighlightError(Exception):
    """A highlight operation that cannot be done; the message is one line for the user."""


class QuoteNotFound(HighlightError):
    """The quote to highlight is not in the article."""


# -- the model ---------------------------------------------------------------------------------


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second (what the store keeps)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def format_time(value: dt.datetime) -> str:
    """``2026-11-23T10:15:00Z``: UTC expressed with Z (as W3C annotations want)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def clean_note(note: str | None) -> str:
    """A note as stored: control characters neutralised, outer blank lines removed."""
    if not note:
        return ""
    return neutralize(note.replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_tags(tags: Iterable[str] | None) -> tuple[str, ...]:
    """Tags as stored: one line each, inner spaces become hyphens, no empties, no repeats."""
    result: list[str] = []
    for tag in tags or ():
        text = "-".join(one_line(str(tag)).lstrip("#").split())
        if text and text not in result:
            result.append(text)
    return tuple(result)


def corpus_key(folder: str | os.PathLike[str]) -> str:
    """The name a highlight keeps of its corpus: the folder's full path."""
    return str(Path(folder).expanduser().resolve())


@dataclass(frozen=True, slots=True)
class Highlight:
    """One highlighted passage of one article of one corpus."""

    id: str
    article_id: str
    anchor: Anchor
    note: str = ""
    tags: tuple[str, ...] = ()
    created: dt.datetime = field(default_factory=utc_now)
    updated: dt.datetime | None = None
    #: :func:`corpus_key` of the corpus; "" for a highlight made before highlights
    #: knew their corpus (claimed by :func:`belongs`).
    corpus: str = ""

    @property
    def quote(self) -> str:
        return self.anchor.quote

    @property
    def short_id(self) -> str:
        return self.id[:8]

    def to_dict(self) -> dict[str, Any]:
        a = self.anchor
        return {
            "id": self.id,
            "corpus": self.corpus,
            "article_id": self.article_id,
            "quote": a.quote,
            "prefix": a.prefix,
            "suffix": a.suffix,
            "start": a.start,
            "end": a.end,
            "content_hash": a.content_hash,
            "note": self.note,
            "tags": list(self.tags),
            "created": format_time(self.created),
            "updated": format_time(self.updated) if self.updated else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Highlight:
        """Read one record; raises ValueError when it is not a valid highlight."""
        if not isinstance(data, dict):
            raise ValueError("a highlight is not an object")
        try:
            start, end = data["start"], data["end"]
            texts = [data[k] for k in ("id", "article_id", "quote", "prefix", "suffix")]
            if not all(isinstance(t, str) for t in texts) or not texts[0] or not texts[2]:
                raise ValueError("id, article_id, quote, prefix and suffix must be text")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
                raise ValueError("start and end must be offsets with start < end")
            tags = data.get("tags") or []
            if not isinstance(tags, list):
                raise ValueError("tags must be a list")
            note = data.get("note") or ""
            if not isinstance(note, str):
                raise ValueError("note must be text")
            updated = data.get("updated")
            corpus = data.get("corpus") or ""
            if not isinstance(corpus, str):
                raise ValueError("corpus must be text")
            return cls(
                corpus=corpus,
                id=data["id"],
                article_id=data["article_id"],
                anchor=Anchor(
                    quote=neutralize(data["quote"]),
                    prefix=neutralize(data["prefix"]),
                    suffix=neutralize(data["suffix"]),
                    start=start,
                    end=end,
                    content_hash=str(data.get("content_hash") or ""),
                ),
                note=clean_note(note),
                tags=clean_tags(str(t) for t in tags),
                created=parse_time(data["created"]),
                updated=parse_time(updated) if updated else None,
            )
        except KeyError as error:
            raise ValueError(f"missing field {error.args[0]!r}") from None
        except (TypeError, AttributeError) as error:
            raise ValueError(str(error)) from None


@dataclass(frozen=True, slots=True)
class Placed:
    """A highlight and where it is in the article's current text."""

    highlight: Highlight
    placement: Placement

    @property
    def orphaned(self) -> bool:
        return self.placement.status == "orphaned"

    @property
    def status(self) -> str:
        return self.placement.status


def new_id() -> str:
    return uuid.uuid4().hex


def locate_quote(body: str, quote: str, occurrence: int | None = None) -> tuple[int, int, int]:
    """Find ``quote`` in ``body``: ``(start, end, how many occurrences)``.

    ``occurrence`` is 1-based; None takes the first. Raises QuoteNotFound.
    """
    found = occurrences(body, quote)
    if not found:
        raise QuoteNotFound("the quote is not in the article")
    if occurrence is None:
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        times = "once" if len(found) == 1 else f"{len(found)} times"
        raise QuoteNotFound(f"the quote occurs {times}; there is no occurrence {occurrence}")
    start, end = found[occurrence - 1]
    return start, end, len(found)


def belongs(highlight: Highlight, corpus: str, body: str | None, content_hash: str) -> bool:
    """Whether ``highlight`` is of this corpus's article whose text is ``body``.

    A highlight from before highlights knew their corpus belongs where the article
    holds the very text it was made on, or its quote with all of its context.
    """
    if highlight.corpus:
        return highlight.corpus == corpus
    if body is None:
        return False
    a = highlight.anchor
    return a.content_hash == content_hash or (a.prefix + a.quote + a.suffix) in body


def place_highlight(
    highlight: Highlight, body: str | None, content_hash: str, corpus: str | None = None
) -> Placed:
    """Where ``highlight`` is in ``body``; orphaned when the article is gone (None) or,
    given ``corpus``, when the highlight is not of this corpus's article."""
    if body is None or (corpus is not None and not belongs(highlight, corpus, body, content_hash)):
        return Placed(highlight, Placement("orphaned"))
    return Placed(highlight, place(highlight.anchor, body, content_hash))
