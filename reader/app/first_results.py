"""The first screenful of results of the last query, kept between runs so that the
app lists them in its first frame, before Whoosh is even imported.

Written when the app quits (:func:`save`), if the results on screen answer the query
the next start restores (the query and the order, unfiltered: the session keeps no
filters), on an index brought up to date; beside the index, with the fingerprint of
the index's manifest. A hit keeps what its row shows: title, source, date and the
first snippet with its hits. Read at start-up (:func:`load`) only when it
stays truthful: the scan of the corpus folder (:mod:`reader.index.prescan`, already
done by then) matches the live index's manifest, and that manifest has the
fingerprint the results were written with, so the corpus is exactly the one they
were found in. The real search replaces them as soon as the index is open.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.app.backend import SearchRequest
    from reader.index.prescan import Prescan
    from reader.search.engine import SearchResults

FILE = "first-results.json"
VERSION = 2
#: Hits kept: a tall screen's worth (the search worker's first page).
KEPT = 12


@dataclass(frozen=True, slots=True)
class CachedSnippet:
    """What a row shows of a snippet (the fields of ``Snippet`` it reads)."""

    text: str
    matches: tuple[tuple[int, int], ...]
    start: int


@dataclass(frozen=True, slots=True)
class CachedHit:
    """What the results list shows of a hit (the fields of ``SearchHit`` it reads)."""

    id: str
    path: str
    title: str
    source: str
    date: dt.date | None
    author: str = ""
    score: float | None = None
    snippets: tuple[CachedSnippet, ...] = ()


@dataclass(frozen=True, slots=True)
class CachedResults:
    """The first screenful of an answer, as the search pane shows it."""

    query: str
    hits: tuple[CachedHit, ...]
    total: int
    sort: str
    suggestion: str | None = None


def _path(corpus: Path) -> Path:
    from reader.support.locations import index_dir_for

    return index_dir_for(corpus) / FILE


def _manifest_fingerprint(corpus: Path) -> str | None:
    """The fingerprint in the live index's manifest (its first line only)."""
    from reader.index.manifest import FILE as MANIFEST
    from reader.index.manifest import Manifest
    from reader.support.locations import LIVE_INDEX, index_dir_for

    try:
        return Manifest.read(index_dir_for(corpus) / LIVE_INDEX / MANIFEST).summary.fingerprint
    except Exception:  # missing or damaged: nothing to vouch for the cache
        return None


def cacheable(request: SearchRequest) -> bool:
    """A query as the next start restores it: run exactly (not while typing), unfiltered."""
    from reader.app.backend import SearchRequest

    return request == SearchRequest(query=request.query, sort=request.sort)


def save(corpus: Path, fingerprint: str, request: SearchRequest, results: SearchResults) -> None:
    """Keep the first screenful of ``results`` (the answer to ``request`` on an index
    whose manifest has ``fingerprint``); a failure to write only costs the next start."""
    from reader.support.atomic import write_atomic

    hits = [
        {
            "id": hit.id,
            "path": hit.path,
            "title": hit.title,
            "source": hit.source,
            "date": hit.date.isoformat() if hit.date else None,
            "author": hit.author,
            "snippet": _snippet(hit.snippets[0]) if hit.snippets else None,
        }
        for hit in results.hits[:KEPT]
    ]
    data = {
        "version": VERSION,
        "fingerprint": fingerprint,
        "query": request.query,
        "sort": request.sort,
        "total": results.total,
        "suggestion": results.suggestion,
        "hits": hits,
    }
    with suppress(OSError):
        write_atomic(_path(corpus), json.dumps(data).encode("utf-8"), durable=False)


def awaiting_scan(corpus: Path, request: SearchRequest, prescan: Prescan | None) -> bool:
    """Results are kept for ``request``, and only the scan of the folder (not finished
    yet) can say whether they are still the real ones."""
    if prescan is None or not cacheable(request) or prescan.changed_if_known() is not None:
        return False
    try:
        data = json.loads(_path(corpus).read_text(encoding="utf-8"))
        return data["query"] == request.query and data["sort"] == request.sort
    except (OSError, ValueError, KeyError, TypeError):
        return False


def load(corpus: Path, request: SearchRequest, prescan: Prescan | None) -> CachedResults | None:
    """The kept results for ``request``, if they are still the real ones; else None."""
    if prescan is None or not cacheable(request):
        return None
    if prescan.changed_if_known() is not False:
        return None  # the folder changed since the index was updated, or not known yet
    try:
        data = json.loads(_path(corpus).read_text(encoding="utf-8"))
        if data["version"] != VERSION or data["query"] != request.query:
            return None
        if data["sort"] != request.sort:
            return None
        if data["fingerprint"] != _manifest_fingerprint(corpus):
            return None
        hits = tuple(
            CachedHit(
                id=str(hit["id"]),
                path=str(hit["path"]),
                title=str(hit["title"]),
                source=str(hit["source"]),
                date=dt.date.fromisoformat(hit["date"]) if hit["date"] else None,
                author=str(hit.get("author") or ""),
                snippets=_cached_snippet(hit["snippet"]),
            )
            for hit in data["hits"]
        )
        suggestion = data["suggestion"]
        return CachedResults(
            request.query,
            hits,
            int(data["total"]),
            str(data["sort"]),
            None if suggestion is None else str(suggestion),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _snippet(snippet: Any) -> dict[str, Any]:
    return {
        "text": snippet.text,
        "matches": [list(match) for match in snippet.matches],
        "start": snippet.start,
    }


def _cached_snippet(data: dict[str, Any] | None) -> tuple[CachedSnippet, ...]:
    if data is None:
        return ()
    matches = tuple((int(start), int(end)) for start, end in data["matches"])
    return (CachedSnippet(str(data["text"]), matches, int(data["start"])),)
