"""Sources to articles: the import, one result per item.

A source is a saved page or a folder of them, a URL (an article page, an RSS,
Atom or JSON Feed, or an OPML file), a local OPML, feed or newsboat ``urls`` file,
or a read-later export (Pocket CSV, wallabag JSON, Omnivore zip). Each becomes
items; each item ends as one :class:`ItemResult` (``added``, ``updated``,
``duplicate`` or ``failed`` with the reason) and a failure never stops the rest.

Network fetches run several at a time (:data:`FETCHERS` threads), bounded; saved
pages from disk are extracted in worker processes when there are enough of them
to pay for starting the processes, so a folder of pages uses every core.
A feed item whose link the corpus already holds is a duplicate without fetching
its page (an update of a feed costs one request when nothing is new); a feed that
carries whole articles is compared, and a changed article is updated in place.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.importing import exports, feeds
from reader.importing.extract import Extracted, ExtractError, extract
from reader.importing.feeds import FeedItem
from reader.importing.fetch import FetchError, check_url, fetch
from reader.importing.store import CorpusWriter, NewArticle

#: Fetches at once: polite to servers, quick enough for a feed of fifty items.
FETCHERS = 6
#: Saved pages from disk below this many are extracted in this process.
PROCESS_POOL_FROM = 24
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MAX_LOCAL_BYTES = 200 * 1024 * 1024
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


@dataclass(slots=True)
class ItemResult:
    """What became of one item of a source (the ``--json`` shape)."""

    source: str
    status: str  # added | updated | duplicate | failed
    path: str | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "path": self.path,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "reason": self.reason,
        }


@dataclass(slots=True)
class _Item:
    """One article to bring in: a saved page, a fetched page, or a feed/export entry."""

    origin: str
    path: Path | None = None
    entry: FeedItem | None = None
    html: bytes | None = None  # a page already fetched while finding out what a URL was
    final_url: str | None = None  # where the page was found, after redirects
    feed_title: str | None = None
    tags: list[str] = field(default_factory=list)
    # A feed item's page is not fetched again when the corpus holds its link.
    skip_known: bool = False


Expanded = tuple[list[_Item], list[ItemResult]]
Progress = Callable[[ItemResult, int, int], None]


class Importer:
    """One import into ``corpus``: :meth:`run` returns a result per item, in source order.

    ``progress(result, done, total)`` is called from worker threads as items end
    (``total`` grows while feeds are read); ``cancelled()`` is asked between items.
    """

    def __init__(
        self,
        corpus: Path,
        *,
        tags: Sequence[str] = (),
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        fetcher: Callable[..., Any] = fetch,
        processes: int | None = None,
    ) -> None:
        self.writer = CorpusWriter(corpus)
        self.tags = [" ".join(t.split()) for t in tags if t.strip()]
        self.progress = progress
        self.cancelled = cancelled
        self.fetch = fetcher
        self.processes = processes if processes is not None else (os.cpu_count() or 1)
        self._done = 0
        self._total = 0
        self._lock = threading.Lock()

    # -- the whole import --------------------------------------------------------------------

    def run(self, sources: Iterable[str | tuple[str, Sequence[str]]]) -> list[ItemResult]:
        """Import every source; a source may come with tags of its own: ``(source, tags)``."""
        jobs = [(s, []) if isinstance(s, str | Path) else s for s in sources]
        #: Every item and every failed source, in the order the sources were given.
        ordered: list[_Item | ItemResult] = []
        with futures.ThreadPoolExecutor(FETCHERS, thread_name_prefix="import") as pool:
            for found, failures in pool.map(self._expand, jobs):
                ordered.extend(failures)
                ordered.extend(found)
            self._total = len(ordered)
            for failure in ordered:
                if isinstance(failure, ItemResult):
                    self._report(failure)
            items = [i for i in ordered if isinstance(i, _Item)]
            local = [i for i in items if i.path is not None]
            others = {
                id(i): pool.submit(self._guarded, self._entry, i) for i in items if i.path is None
            }
            done = {id(i): r for i, r in zip(local, self._local(local), strict=True)}
            done.update((key, future.result()) for key, future in others.items())
        return [x if isinstance(x, ItemResult) else done[id(x)] for x in ordered]

    def _report(self, result: ItemResult) -> ItemResult:
        with self._lock:
            self._done += 1
            done, total = self._done, self._total
        if self.progress is not None:
            self.progress(result, done, total)
        return result

    def _guarded(self, work: Callable[[_Item], ItemResult], item: _Item) -> ItemResult:
        if self.cancelled():
            return self._report(_failed(item, "cancelled"))
        try:
            result = work(item)
        except (FetchError, ExtractError, feeds.FeedError, OSError) as error:
            result = _failed(item, _why(error))
        except Exception as error:  # one bad item never stops the rest
            result = _failed(item, f"unexpected {type(error).__name__}: {_why(error)}")
        return self._report(result)

    # -- sources to items --------------------------------------------------------------------

    def _expand(self, job: tuple[str, Sequence[str]]) -> Expanded:
        source, own_tags = str(job[0]), [" ".join(t.split()) for t in job[1] if t.strip()]
        tags = [*self.tags, *own_tags]
        try:
            if _is_url(source):
                return self._expand_url(source, tags)
            return self._expand_path(source, tags)
        except (FetchError, feeds.FeedError, exports.ExportError, OSError) as error:
            reason = _why(error)
        except Exception as error:  # one bad source never stops the rest
            reason = f"unexpected {type(error).__name__}: {_why(error)}"
        return [], [ItemResult(source, "failed", url=_url_or_none(source), reason=reason)]

    def _expand_url(self, url: str, tags: list[str]) -> Expanded:
        """A URL: an article page, a feed (its items) or an OPML file (its feeds' items)."""
        if self.cancelled():
            raise FetchError("cancelled")
        response = self.fetch(check_url(url), accept=FEED_ACCEPT)
        kind = feeds.sniff(response.body, response.content_type)
        if kind in ("feed", "jsonfeed"):
            return self._feed_items(url, response.body, response.url, tags), []
        if kind == "opml":
            return self._from_refs(feeds.parse_opml(response.body), tags)
        entry = FeedItem(link=url.strip())
        page = _Item(origin=url, entry=entry, html=response.body, final_url=response.url, tags=tags)
        return [page], []

    def _feed_items(self, source: str, data: bytes, base: str, tags: list[str]) -> list[_Item]:
        feed = feeds.parse_feed(data, base or None)
        return [
            _Item(origin=source, entry=e, feed_title=feed.title, tags=tags, skip_known=True)
            for e in feed.items
        ]

    def _from_refs(self, refs: Iterable[feeds.FeedRef], tags: list[str]) -> Expanded:
        items: list[_Item] = []
        failures: list[ItemResult] = []
        refs = list(refs)
        with futures.ThreadPoolExecutor(FETCHERS, thread_name_prefix="feeds") as pool:
            jobs = [pool.submit(self._expand_ref, ref, tags) for ref in refs]
            for found, failed in (job.result() for job in jobs):
                items.extend(found)
                failures.extend(failed)
        return items, failures

    def _expand_ref(self, ref: feeds.FeedRef, tags: list[str]) -> Expanded:
        try:
            return self._expand_url(ref.url, [*tags, *ref.tags])
        except (FetchError, feeds.FeedError, OSError) as error:
            failure = ItemResult(ref.url, "failed", url=_url_or_none(ref.url), reason=_why(error))
            return [], [failure]

    def _expand_path(self, source: str, tags: list[str]) -> Expanded:
        path = Path(source).expanduser()
        if path.is_dir():
            pages = _saved_pages(path)
            if not pages:
                raise feeds.FeedError(f"no saved pages (.html, .htm) in the folder {source}")
            return [_Item(origin=str(p), path=p, tags=tags) for p in pages], []
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {source}")
        if path.suffix.lower() in PAGE_SUFFIXES:
            return [_Item(origin=source, path=path, tags=tags)], []
        if path.stat().st_size > MAX_LOCAL_BYTES:
            raise exports.ExportError(f"larger than {MAX_LOCAL_BYTES >> 20} MB")
        data = path.read_bytes()
        kind = exports.kind_of(path.name, data[:4096])
        if kind is not None:
            read = {
                "pocket": exports.read_pocket,
                "wallabag": exports.read_wallabag,
                "omnivore": exports.read_omnivore,
            }[kind]
            return [_Item(origin=source, entry=e, tags=tags) for e in read(data)], []
        sniffed = feeds.sniff(data)
        if sniffed == "opml":
            return self._from_refs(feeds.parse_opml(data), tags)
        if sniffed in ("feed", "jsonfeed"):
            return self._feed_items(source, data, "", tags), []
        text = data.decode("utf-8", errors="replace")
        if feeds.looks_like_urls_file(text):
            return self._from_refs(feeds.parse_urls_file(text), tags)
        if b"<html" in data[:4096].lower() or b"<body" in data[:65536].lower():
            return [_Item(origin=source, path=path, tags=tags)], []
        raise feeds.FeedError("not a saved page, feed, OPML, urls file or read-later export")

    # -- items to articles -------------------------------------------------------------------

    def _local(self, items: list[_Item]) -> list[ItemResult]:
        """Saved pages from disk: extracted in worker processes when there are many."""
        if len(items) < PROCESS_POOL_FROM or self.processes < 2:
            return [self._guarded(self._saved_page, item) for item in items]
        context = multiprocessing.get_context("spawn")  # never fork a threaded process
        results: list[ItemResult] = []
        try:
            pool = futures.ProcessPoolExecutor(self.processes, mp_context=context)
        except (OSError, ValueError, NotImplementedError):  # no processes here: do it in this one
            return [self._guarded(self._saved_page, item) for item in items]
        with pool:
            jobs = [pool.submit(_extract_file, str(item.path)) for item in items]
            broken = False
            for item, job in zip(items, jobs, strict=True):
                if broken:  # the worker processes could not run: extract here instead
                    results.append(self._guarded(self._saved_page, item))
                    continue
                if self.cancelled():
                    job.cancel()
                    results.append(self._report(_failed(item, "cancelled")))
                    continue
                try:
                    extracted = job.result()
                except (ExtractError, OSError) as error:
                    results.append(self._report(_failed(item, _why(error))))
                    continue
                except futures.process.BrokenProcessPool:
                    broken = True
                    results.append(self._guarded(self._saved_page, item))
                    continue
                except Exception as error:  # one bad page never stops the rest
                    reason = f"unexpected {type(error).__name__}: {_why(error)}"
                    results.append(self._report(_failed(item, reason)))
                    continue
                results.append(self._guarded(lambda i, e=extracted: self._write(i, e), item))
        return results

    def _saved_page(self, item: _Item) -> ItemResult:
        assert item.path is not None
        return self._write(item, _extract_file(str(item.path)))

    def _entry(self, item: _Item) -> ItemResult:
        """A fetched page, or an item of a feed or export: its page is fetched if needed."""
        entry = item.entry
        assert entry is not None
        link = entry.link.strip() if entry.link else None
        if link:
            try:
                check_url(link)
            except FetchError as error:
                if not entry.content:
                    return _failed(item, f"refused link: {error}")
                link = None  # the article is in the feed; its odd link is not kept
        if item.skip_known and link and not entry.content:
            known = self.writer.known_url(link)
            if known is not None:
                return self._result(item, "duplicate", known, entry.title, link)
        extracted = None
        if item.html is not None:
            extracted = extract(item.html, url=item.final_url or link)
        elif entry.content:
            try:
                extracted = extract(_page_of(entry.content, entry.title), url=link)
            except ExtractError:
                extracted = None  # the feed's copy is not enough: read the page
        if extracted is None:
            if not link:
                return _failed(item, "the item has no http(s) link and no content")
            response = self.fetch(link)
            extracted = extract(response.body, url=response.url)
            item.final_url = response.url
        return self._write(item, extracted)

    def _write(self, item: _Item, extracted: Extracted) -> ItemResult:
        entry = item.entry or FeedItem(link=None)
        url = entry.link if _is_http(entry.link) else extracted.url
        article = NewArticle(
            body=extracted.body,
            title=entry.title or extracted.title,
            source=item.feed_title or extracted.source,
            author=entry.author or extracted.author,
            date=entry.date or extracted.date,
            url=url if _is_http(url) else None,
            tags=[*item.tags, *entry.tags],
        )
        others = (extracted.url, item.final_url)
        written = self.writer.add(article, urls=others)
        return self._result(item, written.status, written.path, article.title, article.url)

    def _result(
        self, item: _Item, status: str, path: Path, title: str | None, url: str | None
    ) -> ItemResult:
        root = self.writer.root
        return ItemResult(
            source=item.origin,
            status=status,
            path=str(path),
            id=path.relative_to(root).with_suffix("").as_posix(),
            title=title,
            url=url,
        )


def import_sources(sources: Iterable[str], corpus: Path, **options: Any) -> list[ItemResult]:
    """Import ``sources`` into ``corpus``; see :class:`Importer` for the options."""
    return Importer(corpus, **options).run(sources)


# -- helpers ---------------------------------------------------------------------------------------


def _extract_file(path: str) -> Extracted:
    """Read and extract one saved page (runs in a worker process too)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_LOCAL_BYTES + 1)
    if len(data) > MAX_LOCAL_BYTES:
        raise ExtractError(f"larger than {MAX_LOCAL_BYTES >> 20} MB")
    return extract(data)


def _saved_pages(folder: Path) -> list[Path]:
    """The saved pages under ``folder``; hidden files and folders and links to folders
    are left out (a link back up the tree would never end)."""
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(PAGE_SUFFIXES) and not name.startswith("."):
                found.append(Path(top) / name)
    return found


def _page_of(content: str, title: str | None) -> str:
    from html import escape

    heading = f"<h1>{escape(title)}</h1>" if title else ""
    return f"<html><body><article>{heading}{content}</article></body></html>"


def _is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://")) or "://" in text


def _is_http(text: str | None) -> bool:
    return bool(text) and text.strip().lower().startswith(("http://", "https://"))


def _url_or_none(source: str) -> str | None:
    return source if _is_url(source) else None


def _failed(item: _Item, reason: str) -> ItemResult:
    url = item.entry.link if item.entry is not None else None
    title = item.entry.title if item.entry is not None else None
    return ItemResult(item.origin, "failed", title=title, url=url, reason=reason)


def _why(error: BaseException) -> str:
    from reader.support.textsafe import one_line

    if isinstance(error, FileNotFoundError) and error.filename is None:
        return one_line(str(error))
    if isinstance(error, OSError) and error.strerror:
        return one_line(error.strerror)
    return one_line(str(error)) or type(error).__name__
