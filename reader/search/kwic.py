"""Keyword in context: every hit of a query as one line, aligned on the hit.

A concordance of the results: each place a query term occurs in a matching
article, with the text before and after it, found with the index's own analyzer
(:func:`reader.search.snippets.match_spans`: the same tokens, stemming and folding
as the search). Lines come in article-date order or by the words after the hit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.corpus.articles import derive_title
from reader.index.analysis import _TERM_CACHE, analyze_token
from reader.search.engine import Filters
from reader.search.facets import corpus_table, matching_docnums
from reader.search.query import parse
from reader.search.rewrites import expand_fuzzy
from reader.search.snippets import _MISSING, Terms, _folded, match_spans, query_terms

#: Characters of context kept on each side of a hit.
CONTEXT = 60
#: Hits listed at most; the rest are counted as left out.
LIMIT = 5000

KwicOrder = Literal["date", "after"]

_SPACE = re.compile(r"\s+")
_NON_ASCII_LETTER = re.compile(r"[^\W\x00-\x7f]")


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One hit: ``left`` + ``hit`` + ``right`` read on, ``start``/``end`` in the body."""

    article_id: str
    title: str
    date: dt.date | None
    start: int
    end: int
    left: str
    hit: str
    right: str

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "hit": self.hit,
            "right": self.right,
        }


@dataclass(frozen=True, slots=True)
class Concordance:
    """The lines of a query; ``complete`` is False when hits past ``LIMIT`` were left out."""

    query: str
    lines: tuple[KwicLine, ...]
    articles: int
    complete: bool = True


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


class HitFinder:
    """:func:`reader.search.snippets.match_spans`, with the same answers, several times
    faster on long lists: one regex finds the words that could be a query term (those
    beginning as a term's stem does) and only those go through the analyzer; a body
    with a non-ASCII letter, which folding may change, goes the slow way. Stemming
    changes only the end of a word, so a word whose stem is a term begins with all
    but the stem's last two letters."""

    def __init__(self, terms: Terms) -> None:
        self.terms = terms
        heads = {t[: max(1, len(t) - 2)].lower() for t in terms.prose}
        heads |= {t[: max(1, len(t) - 2)].lower() for t in terms.names}
        #: Terms that do not begin with ASCII letters: every body goes the slow way.
        self._slow = any(not h.isascii() for h in heads)
        words = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
        self._candidates = re.compile(rf"(?:{words})\w*(?:\.?\w+)*")

    def spans(self, text: str) -> list[tuple[int, int]]:
        terms = self.terms
        if not terms:
            return []
        if self._slow or _has_non_ascii_letter(text):
            # Folding may turn a non-ASCII letter into the first letters of a term.
            return match_spans(text, terms)
        found: list[tuple[int, int]] = []
        prose, names = terms.prose, terms.names
        cache = _TERM_CACHE
        # Lower-cased, an ASCII-letter text keeps every offset (no letter changes length).
        lowered = text.lower()
        for match in self._candidates.finditer(lowered):
            start, end = match.span()
            before = lowered[start - 1 : start] if start else ""
            if before.isalnum() or before == "_":
                continue  # inside a word
            if (
                before == "."
                and start > 1
                and (lowered[start - 2].isalnum() or lowered[start - 2] == "_")
            ):
                continue  # "u.s": one token
            # The candidate is one whole token: match_spans's test, on it alone.
            token = text[start:end]
            term = cache.get(token, _MISSING) if prose else None
            if term is _MISSING:
                term = analyze_token(token)
            if (term is not None and term in prose) or (names and _folded(token) in names):
                found.append((start, end))
        return found


_ASCII = frozenset(chr(n) for n in range(128))


def _has_non_ascii_letter(text: str) -> bool:
    if text.isascii():
        return False
    return _NON_ASCII_LETTER.search("".join(set(text) - _ASCII)) is not None


def lines_in(
    article_id: str,
    title: str,
    date: dt.date | None,
    body: str,
    terms: Terms,
    context: int = CONTEXT,
    finder: HitFinder | None = None,
) -> list[KwicLine]:
    """Every hit of ``terms`` in ``body`` as a line, in reading order."""
    found = []
    spans = finder.spans(body) if finder is not None else match_spans(body, terms)
    for start, end in spans:
        left = _flat(body[max(0, start - context) : start])[-context:]
        right = _flat(body[end : end + context])[:context]
        found.append(KwicLine(article_id, title, date, start, end, left, body[start:end], right))
    return found


def concordance(
    searcher: Searcher,
    text: str,
    filters: Filters | None = None,
    *,
    order: KwicOrder = "date",
    limit: int = LIMIT,
    context: int = CONTEXT,
) -> Concordance:
    """The hits of ``text`` in the matching articles, newest article first.

    An empty query has no hits. Raises ``reader.search.query.QueryError`` for a
    malformed query.
    """
    text = text.strip()
    if not text:
        return Concordance(text, (), 0)
    query: wq.Query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    terms = query_terms(query, searcher)
    docnums = matching_docnums(searcher, text, filters)
    table = corpus_table(searcher)
    days = table.days
    docnums.sort(key=lambda n: -days[n])
    found: list[KwicLine] = []
    complete = True
    stored_fields = searcher.stored_fields
    finder = HitFinder(terms)
    for docnum in docnums:
        if len(found) >= limit:
            complete = False
            break
        stored = stored_fields(docnum)
        body = stored.get("body") or ""
        day = days[docnum]
        title = stored.get("title") or derive_title(body) or stored.get("id", "")
        found.extend(
            lines_in(
                stored.get("id", ""),
                _flat(title),
                dt.date.fromordinal(day) if day else None,
                body,
                terms,
                context,
                finder,
            )
        )
    lines = found[:limit]
    if len(found) > limit:
        complete = False
    return Concordance(text, tuple(sort_lines(lines, order)), len(docnums), complete)


def sort_lines(lines: Sequence[KwicLine], order: KwicOrder) -> list[KwicLine]:
    """``lines`` newest article first (in reading order within one), or by the words
    after the hit (then the hit, then the date)."""
    if order == "after":
        return sorted(
            lines,
            key=lambda line: (line.right.strip().casefold(), line.hit.casefold(), line.article_id),
        )
    return sorted(
        lines,
        key=lambda line: (
            -(line.date.toordinal() if line.date else 0),
            line.article_id,
            line.start,
        ),
    )
