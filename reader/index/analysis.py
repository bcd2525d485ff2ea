"""How text becomes index terms, shared by the index, search and snippets.

Body and title are lower-cased, accent-folded, stop-worded and stemmed, so
``agreements`` finds "agreement" and ``Phan Văn Giang`` finds "Phan Van Giang".
Entity fields are folded but not stemmed: names are not inflected words.

:func:`term_spans` turns a text into ``(term, start, end)`` with the *same*
result as the index analyzer, but fast enough to run on every search result:
tokens come from one compiled regex and each distinct token is analysed once and
cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

#: Whoosh's default token pattern: words, with inner dots ("U.S", "3.5").
TOKEN_PATTERN = r"\w+(\.?\w+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN, re.UNICODE)


def text_analyzer() -> Analyzer:
    """Analyzer for prose fields (title, body): folded, stop-worded, stemmed."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=100_000)
    )


def name_analyzer() -> Analyzer:
    """Analyzer for names (source, author, entity fields): folded, not stemmed."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


_PROSE = text_analyzer()
_TERM_CACHE: dict[str, str | None] = {}
_TERM_CACHE_LIMIT = 500_000


def analyze_token(token: str) -> str | None:
    """The index term for one raw token, or None for a stop word."""
    try:
        return _TERM_CACHE[token]
    except KeyError:
        pass
    terms = [t.text for t in _PROSE(token)]
    term = terms[0] if len(terms) == 1 else None
    if len(_TERM_CACHE) >= _TERM_CACHE_LIMIT:
        _TERM_CACHE.clear()
    _TERM_CACHE[token] = term
    return term


def term_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for each indexed token of ``text``, like the analyzer."""
    for match in _TOKEN_RE.finditer(text):
        term = analyze_token(match.group())
        if term is not None:
            yield term, match.start(), match.end()


def fold(text: str) -> str:
    """Lower-case and accent-fold ``text`` the way the name fields do."""
    return " ".join(t.text for t in name_analyzer()(text))
