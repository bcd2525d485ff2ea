"""The first screenful of results of the last query, kept between runs so that the
app lists them in its first frame, before Whoosh is even imported.

Written when the app quits (:func:`save`), if the results on screen answer the query
the next start restores (the query and the order, unfiltered: the session keeps no
filters), on an index brought up to date; beside the index, with the fingerprint of
the index's manifest. A hit keeps what its row shows: title, source, date and the
first snippet with its hits. Read at start-up (:func:`read`) and listed only once
:func:`vouched` says they stay truthful: the scan of the corpus folder
(:mod:`reader.index.prescan`, under way on another core) matches the live index's
manifest, and that manifest has the fingerprint the results were written with, so
the corpus is exactly the one they were found in. The real search replaces them as
soon as the index is open.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reader.search.results import SearchHit, SearchResults, Snippet

if TYPE_CHECKING:
    from reader.app.backend import SearchRequest
    from reader.index.prescan import Prescan

FILE = "first-results.json"
VERSION = 2
#: Hits kept: a tall screen's worth (the search worker's first page).
KEPT = 12


class Kept(NamedTuple):
    """Results kept from the last run, and the fingerprint of the index they came from."""

    results: SearchResults
    fingerprint: str


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


def read(corpus: Path, request: SearchRequest) -> Kept | None:
    """The results kept for ``request``, as they were written: None when there are
    none for it (another query, another order, an older format, a damaged file)."""
    if not cacheable(request):
        return None
    try:
        data = json.loads(_path(corpus).read_text(encoding="utf-8"))
        if data["version"] != VERSION or data["query"] != request.query:
            return None
        if data["sort"] != request.sort:
            return None
        hits = tuple(
            SearchHit(
                id=str(hit["id"]),
                path=str(hit["path"]),
                title=str(hit["title"]),
                source=str(hit["source"]),
                date=dt.date.fromisoformat(hit["date"]) if hit["date"] else None,
                score=None,
                snippets=_snippets(hit["snippet"]),
                author=str(hit.get("author") or ""),
            )
            for hit in data["hits"]
        )
        suggestion = data["suggestion"]
        results = SearchResults(
            query=request.query,
            hits=hits,
            total=int(data["total"]),
            sort=request.sort,
            suggestion=None if suggestion is None else str(suggestion),
        )
        return Kept(results, str(data["fingerprint"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def vouched(corpus: Path, kept: Kept, prescan: Prescan | None) -> bool | None:
    """Whether ``kept`` are still the real results: the folder is as the live index
    last saw it, and that index is the one they were found in. None while the scan of
    the folder has not answered yet."""
    if prescan is None:
        return False
    changed = prescan.changed_if_known()
    if changed is None:
        return None
    return not changed and kept.fingerprint == _manifest_fingerprint(corpus)


def _snippet(snippet: Snippet) -> dict[str, Any]:
    return {
        "text": snippet.text,
        "matches": [list(match) for match in snippet.matches],
        "start": snippet.start,
    }


def _snippets(data: dict[str, Any] | None) -> tuple[Snippet, ...]:
    if data is None:
        return ()
    matches = tuple((int(start), int(end)) for start, end in data["matches"])
    return (Snippet(str(data["text"]), matches, int(data["start"])),)
