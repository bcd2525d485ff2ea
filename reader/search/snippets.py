"""What to highlight, where it is, and snippets cut around it.

:func:`query_terms` says which terms a query matches; :func:`match_spans` finds
them in a body with the index's own analyzer (same tokens, stemming and folding),
and :func:`make_snippets` cuts plain-text snippets with the hits' ranges.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.index.analysis import _TERM_CACHE, _TOKEN_RE, TOKEN_PATTERN, analyze_token, fold
from reader.search.results import Snippet, Terms
from reader.search.scoring import (
    Unsupported,
    prefix_expansion,
)

SNIPPET_CHARS = 160
#: Snippets are looked for in this much of a body; a 20 MB article still answers fast.
SNIPPET_SCAN_CHARS = 400_000
PROSE_FIELDS = {"title", "body"}
NAME_FIELDS = {"people", "places", "organisations", "agreements", "source", "author"}


# -- terms and spans ---------------------------------------------------------------------------


def query_terms(query: wq.Query, searcher: Searcher | None = None) -> Terms:
    """The terms a query looks for (expanded prefixes and fuzzy terms included),
    leaving out everything under a NOT."""
    prose: set[str] = set()
    names: set[str] = set()
    reader = searcher.reader() if searcher is not None else None

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if node.is_leaf():
            for fieldname, text in _leaf_terms(node, reader):
                if fieldname in PROSE_FIELDS:
                    prose.add(text)
                elif fieldname in NAME_FIELDS:
                    names.add(text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return Terms(frozenset(prose), frozenset(names))


def _leaf_terms(node: wq.Query, reader: Any) -> Iterable[tuple[str, str]]:
    if isinstance(node, wq.Prefix) and reader is not None and node.fieldname in reader.schema:
        try:
            words = prefix_expansion(reader, node.fieldname, node.text)[1]
        except Unsupported:
            pass
        else:
            for word in words:
                yield node.fieldname, word.decode("utf-8", "replace")
            return
    if isinstance(node, wq.Term | wq.Phrase) or reader is None:
        raw = node.terms(phrases=True) if node.has_terms() else ()
    else:
        raw = node.existing_terms(reader, phrases=True, expand=True)
    for fieldname, text in raw:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if isinstance(text, str):
            yield fieldname, text


_FOLD_CACHE: dict[str, str] = {}
_MISSING = object()


def _folded(token: str) -> str:
    try:
        return _FOLD_CACHE[token]
    except KeyError:
        value = _FOLD_CACHE[token] = fold(token)
        if len(_FOLD_CACHE) > 200_000:
            _FOLD_CACHE.clear()
        return value


@functools.lru_cache(maxsize=64)
def _candidates(heads: frozenset[str]) -> re.Pattern[str]:
    """The tokens of the analyzer (``TOKEN_PATTERN``) that begin with one of ``heads``
    in either case, or with a character beyond ASCII.

    A token begins at a word character that follows neither a word character nor
    a word character and a dot (those continue a token, as in "U.S").
    """
    letters = "".join(
        re.escape(head.lower()) + re.escape(head.upper())
        for head in sorted(heads)
        if head and head < "\x80"
    )
    first = f"[{letters}]|[^\\x00-\\x7f]" if letters else "[^\\x00-\\x7f]"
    return re.compile(rf"(?<!\w)(?<!\w\.)(?={first}){TOKEN_PATTERN}")


def match_spans(
    text: str, terms: Terms, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` (or the slice given) where a query term occurs."""
    if not terms:
        return []
    window = text[start:end] if (start or end is not None) else text
    spans: list[tuple[int, int]] = []
    prose, names = terms.prose, terms.names
    if names:
        for match in _TOKEN_RE.finditer(window):
            token = match.group()
            stem = analyze_token(token) if prose else None
            if (stem is not None and stem in prose) or _folded(token) in names:
                spans.append((match.start() + start, match.end() + start))
        return spans
    # term_spans, inlined: this runs on every body shown. Stemming changes only the
    # end of a word, so a term begins with its word's first letter (lower-cased): a
    # word beginning with an ASCII letter no term begins with is passed over. The
    # regex finds only the other words (a 20 MB article: 1.4 s -> a fraction).
    cache, missing, add = _TERM_CACHE, _MISSING, spans.append
    for match in _candidates(frozenset(term[:1] for term in prose)).finditer(window):
        token = match.group()
        term = cache.get(token, missing)
        if term is missing:
            term = analyze_token(token)
        if term is not None and term in prose:
            s, e = match.span()
            add((s + start, e + start))
    return spans


def make_snippets(
    body: str, terms: Terms, count: int = 3, width: int = SNIPPET_CHARS
) -> list[Snippet]:
    """Up to ``count`` non-overlapping passages of ``body`` with the most hits,
    in reading order. With no hits, the lead of the article."""
    spans = match_spans(body, terms, 0, min(len(body), SNIPPET_SCAN_CHARS)) if terms else []
    if not spans:
        return [_snippet(body, 0, min(len(body), width), [])] if body.strip() else []
    chosen: list[tuple[int, int]] = []
    remaining = spans[:500]  # enough to find the best passages; bounded work
    while remaining and len(chosen) < count:
        best = None
        best_score = (-1, -1)
        # Hits never overlap, so their ends rise with their starts: the hits of a
        # window starting at hit i are remaining[i:j], j found by bisection.
        ends = [e for _, e in remaining]
        words = [body[a:b].lower() for a, b in remaining]
        for i, (s, _) in enumerate(remaining):
            window_start = _passage_start(body, s, width // 3)
            window_end = window_start + width
            j = bisect.bisect_right(ends, window_end, i)
            score = (len(set(words[i:j])), j - i)
            if score > best_score:
                best_score, best = score, (window_start, window_end)
        assert best is not None
        chosen.append(best)
        remaining = [sp for sp in remaining if not _overlaps(sp, chosen)]
    chosen.sort()
    result = []
    for window_start, window_end in chosen:
        s, e = _word_bounds(body, window_start, min(window_end, len(body)))
        inside = [(a - s, b - s) for a, b in spans if a >= s and b <= e]
        result.append(_snippet(body, s, e, inside))
    return result


def _passage_start(body: str, hit: int, lead: int) -> int:
    """Where a passage showing ``hit`` should begin: a sentence start when one is near."""
    earliest = max(0, hit - lead)
    starts = [
        found + len(mark)
        for mark in ("\n", ". ", "? ", "! ")
        if (found := body.rfind(mark, earliest, hit)) != -1
    ]
    return max(starts, default=earliest)


def _overlaps(span: tuple[int, int], windows: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < we and span[1] > ws for ws, we in windows)


def _word_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back so that no word is cut in two."""
    if start > 0 and not body[start - 1].isspace():
        space = body.find(" ", start, start + 25)
        if space != -1:
            start = space + 1
    if end < len(body) and not body[end].isspace():
        space = body.rfind(" ", max(start, end - 25), end)
        if space != -1:
            end = space
    return start, end


def _snippet(body: str, start: int, end: int, matches: list[tuple[int, int]]) -> Snippet:
    # Newlines become spaces one for one, so the match ranges stay valid.
    text = body[start:end].replace("\n", " ").replace("\t", " ")
    return Snippet(text=text, matches=tuple(matches), start=start)
