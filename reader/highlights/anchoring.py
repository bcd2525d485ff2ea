"""Anchor a passage to an article's text, and find it again after the text changed.

An :class:`Anchor` follows the W3C Web Annotation model: the exact quote with
:data:`CONTEXT_CHARS` characters of prefix and suffix (a TextQuoteSelector),
the character positions (a TextPositionSelector, offsets in code points into the
article body) and the content hash of the body it was made on.

:func:`place` finds an anchor in the current body:

1. the hash is unchanged and the quote is at its positions: ``anchored``;
2. otherwise every occurrence of the quote is a candidate, found exactly or,
   failing that, tolerant of white space (a re-wrapped line, a doubled space)
   and of straight versus typographic quotes and apostrophes; the candidate
   whose surroundings best match the prefix and suffix wins, ties going to the
   one nearest the old position: ``reanchored``;
3. no candidate: ``orphaned``. The highlight keeps its quote; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

#: Characters of context kept on each side of a quote.
CONTEXT_CHARS = 32
#: At most this many occurrences of a quote are compared when re-anchoring.
MAX_CANDIDATES = 2000

Status = Literal["anchored", "reanchored", "orphaned"]

_QUOTE_CLASSES = {
    "'": "['‘’‛`]",
    "‘": "['‘’‛`]",
    "’": "['‘’‛`]",
    "‛": "['‘’‛`]",
    '"': '["“”„]',
    "“": '["“”„]',
    "”": '["“”„]',
    "„": '["“”„]',
}


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a passage is: its text, its context and its position in a known body."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an anchor is in the current body (``start``/``end`` None when orphaned)."""

    status: Status
    start: int | None = None
    end: int | None = None

    @property
    def found(self) -> bool:
        return self.status != "orphaned"


def make_anchor(body: str, start: int, end: int, content_hash: str) -> Anchor:
    """The anchor of ``body[start:end]``; raises ValueError for an empty or bad range."""
    if not 0 <= start < end <= len(body):
        raise ValueError(f"not a passage of the article: {start}..{end} of {len(body)}")
    return Anchor(
        quote=body[start:end],
        prefix=body[max(0, start - CONTEXT_CHARS) : start],
        suffix=body[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
        content_hash=content_hash,
    )


def tolerant_pattern(quote: str) -> re.Pattern[str] | None:
    """A regex matching ``quote`` with any white space runs and either style of quotes."""
    words = quote.split()
    if not words:
        return None
    parts = []
    for word in words:
        parts.append("".join(_QUOTE_CLASSES.get(ch, re.escape(ch)) for ch in word))
    return re.compile(r"\s+".join(parts))


def occurrences(body: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` of ``quote`` in ``body``: exact matches when there are
    any, else matches tolerant of white space and quote styles. Overlaps included."""
    if not quote.strip():
        return []
    found: list[tuple[int, int]] = []
    at = body.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = body.find(quote, at + 1)
    if found:
        return found
    pattern = tolerant_pattern(quote)
    if pattern is None:
        return []
    at = 0
    while (match := pattern.search(body, at)) is not None:
        found.append(match.span())
        at = match.start() + 1
    return found


def _squash(text: str) -> str:
    return " ".join(text.split())


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(body: str, anchor: Anchor, start: int, end: int) -> int:
    """How many characters of the prefix and suffix agree with the text around a match
    (white space squashed, so a re-wrapped line still agrees)."""
    span = CONTEXT_CHARS * 2
    before = _squash(body[max(0, start - span) : start])
    after = _squash(body[end : end + span])
    prefix, suffix = _squash(anchor.prefix), _squash(anchor.suffix)
    # Keep the space that separates context from quote, if the original had one.
    if anchor.prefix[-1:].isspace() and body[start - 1 : start].isspace():
        before, prefix = before + " ", prefix + " "
    if anchor.suffix[:1].isspace() and body[end : end + 1].isspace():
        after, suffix = " " + after, " " + suffix
    return _common_suffix(before, prefix) + _common_prefix(after, suffix)


def place(anchor: Anchor, body: str, content_hash: str) -> Placement:
    """Find ``anchor`` in ``body`` (whose hash is ``content_hash``)."""
    s, e = anchor.start, anchor.end
    if content_hash == anchor.content_hash and body[s:e] == anchor.quote:
        return Placement("anchored", s, e)
    candidates = occurrences(body, anchor.quote)
    if not candidates:
        return Placement("orphaned")
    if len(candidates) > MAX_CANDIDATES:
        # A very common quote ("the") in a long article: judge only those near the old place.
        candidates = sorted(candidates, key=lambda c: abs(c[0] - anchor.start))[:MAX_CANDIDATES]
    best = max(
        candidates,
        key=lambda c: (_context_score(body, anchor, *c), -abs(c[0] - anchor.start)),
    )
    return Placement("reanchored", *best)


def reanchored(anchor: Anchor, body: str, content_hash: str) -> tuple[Anchor, Placement]:
    """The anchor refreshed to the current body (unchanged when orphaned)."""
    placement = place(anchor, body, content_hash)
    if placement.status == "orphaned" or placement.start is None or placement.end is None:
        return anchor, placement
    if placement.status == "anchored":
        return anchor, placement
    return make_anchor(body, placement.start, placement.end, content_hash), placement
