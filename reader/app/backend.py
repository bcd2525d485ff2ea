"""The app's door to the core: open, update and search the index, load articles.

Every method blocks and belongs in a thread worker. The core (Whoosh, the
recognizer) is imported here lazily, on first use inside a worker, so that the
app paints its first frame before any of it is loaded. Nothing here knows about
Textual.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.app.document import ArticleDocument, entities_from_stored
from reader.search.results import SortOrder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reader.export import ExcerptSet, Scope
    from reader.highlights.model import Highlight
    from reader.index.corpus_index import CorpusIndex
    from reader.index.prescan import Prescan
    from reader.index.update_report import UpdateReport
    from reader.search.engine import SearchResults
    from reader.search.entity_queries import CoOccurrence, EntityArticle
    from reader.search.filters import Filters

#: The articles opened last are kept whole (text, entities, wrapping) to open again at
#: once: at most this many, and this many characters in all (the last one always; a
#: 20 MB article kept costs some 100 MB of memory).
RECENT_ARTICLES = 4
RECENT_CHARS = 25_000_000


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the user asked for: the query text, the order and the filters."""

    query: str = ""
    sort: SortOrder = "relevance"
    #: ``(entity type, name)`` to keep only articles that mention it.
    entity: tuple[str, str] | None = None
    sources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: ``(agreement name, article ids)``: only the articles that report one agreement.
    record: tuple[str, tuple[str, ...]] | None = None
    #: More entities stacked on ``entity`` (from the Explore facets).
    also: tuple[tuple[str, str], ...] = ()
    #: The query is still being typed: its last word is searched as a prefix (see
    #: :func:`reader.search.query.while_typing`); Enter runs it exactly.
    typing: bool = False

    def search_text(self) -> str | None:
        """The text to search for: None while an unfinished phrase or bracket is typed."""
        if not self.typing:
            return self.query
        from reader.search.query import while_typing

        return while_typing(self.query)

    def filters(self) -> Filters:
        from reader.search.filters import Filters

        return Filters(
            sources=self.sources,
            date_from=self.date_from,
            date_to=self.date_to,
            entity=self.entity,
            record=self.record,
            also=self.also,
        )

    def describe_filters(self) -> str:
        return self.filters().describe()


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the export dialog asks for: a format, a scope and a destination."""

    fmt: str
    scope: Scope
    path: Path
    overwrite: bool = False


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """The index as ``open()`` found it."""

    articles: int
    notice: str | None


@dataclass(frozen=True, slots=True)
class EntityDetails:
    """Where else an entity appears, and what appears beside it."""

    kind: str
    name: str
    articles: tuple[EntityArticle, ...] = ()
    companions: tuple[CoOccurrence, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementArticle:
    """An article that reports an agreement, and the sentences its record came from."""

    id: str
    title: str
    date: str | None
    name: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementView:
    """An agreement's record across the corpus, for the app to show."""

    id: str
    name: str
    #: ``(label, value)`` lines: kind, status, date, parties, signatories, place, id.
    fields: tuple[tuple[str, str], ...]
    articles: tuple[AgreementArticle, ...]


@dataclass(slots=True)
class CorpusService:
    """The index of one corpus, used from worker threads.

    The index object is itself thread-safe for reading (one searcher at a
    time); writes happen in the single index worker.
    """

    corpus: Path
    results_limit: int = 100
    #: The corpus folder's scan, started in a child process before the app
    #: (:mod:`reader.index.prescan`); the first update uses it.
    prescan: Prescan | None = field(default=None, repr=False)
    _index: CorpusIndex | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _searcher: Any = field(default=None, repr=False)
    _searcher_ix: Any = field(default=None, repr=False)
    #: Counts the searchers made: a new one each time the index changed.
    _generation: int = field(default=0, repr=False)
    #: The articles opened last, whole, with the terms their hits are of, by id (oldest
    #: first), and the generation of the index they came from (see :meth:`article`).
    _recent: dict[str, tuple[ArticleDocument, Any]] = field(default_factory=dict, repr=False)
    _recent_generation: int = field(default=-1, repr=False)
    #: The stored fields of the article whose first part was asked for last.
    _read: tuple[int, str, Any] | None = field(default=None, repr=False)

    @property
    def index(self) -> CorpusIndex:
        if self._index is None:
            from reader.index.corpus_index import CorpusIndex

            self._index = CorpusIndex(self.corpus)
        return self._index

    @contextmanager
    def searching(self) -> Iterator[Any]:
        """A Whoosh searcher on the latest commit; one thread at a time.

        The app keeps its own searcher rather than ``CorpusIndex.searcher()``: that
        one refreshes with ``Searcher.refresh()`` and then closes the old searcher,
        which closes the segment readers the new one reuses (``ReaderClosed``), and
        a searcher first opened on an empty index cannot refresh at all. A fresh
        searcher after each commit costs some milliseconds and is always sound.
        """
        with self._lock:
            ix = self.index.ix
            searcher = self._searcher
            if searcher is None or self._searcher_ix is not ix or not searcher.up_to_date():
                if searcher is not None:
                    with suppress(Exception):
                        searcher.close()
                searcher = self._searcher = ix.searcher()
                self._searcher_ix = ix
                self._generation += 1
            yield searcher

    def open(self) -> OpenedIndex:
        """Open (or create empty) the index; raises ``reader.index.corpus_index.IndexUnusable``."""
        index = self.index
        index.open()
        with self.searching() as searcher:
            count = searcher.doc_count()
        return OpenedIndex(count, index.notice)

    def update(
        self,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
        on_commit: Callable[[], None],
    ) -> UpdateReport:
        prescan = self._take_prescan()
        scanned = prescan.result() if prescan is not None else None
        return self.index.update(
            progress=progress, cancelled=cancelled, on_commit=on_commit, scanned=scanned
        )

    def rebuild(
        self, progress: Callable[[int, int], None], cancelled: Callable[[], bool]
    ) -> UpdateReport:
        self._drop_prescan()
        return self.index.rebuild("rebuild requested", progress=progress, cancelled=cancelled)

    def _take_prescan(self) -> Prescan | None:
        with self._lock:
            prescan, self.prescan = self.prescan, None
        return prescan

    def _drop_prescan(self) -> None:
        if (prescan := self._take_prescan()) is not None:
            prescan.close()

    def close(self) -> None:
        """Let go of the index. Never waits long: a worker may hold the searcher for
        a long export, and the app is quitting (the process ends, it closes too)."""
        self._drop_prescan()
        if not self._lock.acquire(timeout=0.2):
            return
        try:
            if self._searcher is not None:
                with suppress(Exception):
                    self._searcher.close()
                self._searcher = None
        finally:
            self._lock.release()
        if self._index is not None:
            self._index.close()

    def search(
        self, request: SearchRequest, limit: int | None = None, snippet_hits: int | None = None
    ) -> SearchResults:
        """Run a search; raises ``reader.search.query.QueryError`` for a malformed query.

        With ``snippet_hits`` only the first that many hits get their snippet; see
        :meth:`fill_snippets`.
        """
        from reader.search.engine import search

        filters = request.filters()
        text = request.search_text()
        with self.searching() as searcher:
            return search(
                searcher,
                request.query if text is None else text,
                suggest_for=request.query,
                limit=limit or self.results_limit,
                sort=request.sort,
                filters=filters,
                snippets=1,
                snippet_hits=snippet_hits,
            )

    def fill_snippets(
        self, results: SearchResults, start: int, stop: int | None = None
    ) -> SearchResults:
        """``results`` with the snippets of the hits from ``start`` up to ``stop``."""
        from reader.search.engine import fill_snippets

        with self.searching() as searcher:
            return fill_snippets(searcher, results, start, stop=stop)

    def article(
        self, article_id: str, terms: Any = None, preview: int | None = None
    ) -> ArticleDocument | None:
        """The article ready for the viewer, with the hits of ``terms`` marked.

        With ``preview``, a body longer than that is cut after about that many
        characters (at a line end) and comes without entities, ``partial``: what a
        screen shows of a 20 MB article, ready in a fraction of the whole.
        """
        from reader.corpus.articles import derive_title
        from reader.search.engine import stored_entities
        from reader.search.snippets import match_spans
        from reader.support.textsafe import neutralize, one_line

        with self.searching() as searcher:
            if self._recent_generation != self._generation:
                self._recent = {}  # the index changed: so may have the articles
                self._recent_generation = self._generation
            recent = self._recent.get(article_id)
            read, self._read = self._read, None
            if recent is not None:
                stored = None
            elif read is not None and read[:2] == (self._generation, article_id):
                stored = read[2]  # read for its first part, a moment ago
            else:
                stored = searcher.document(id=article_id)
            generation = self._generation
        if recent is not None:
            return self._again(*recent, terms)
        if stored is None:
            return None
        # The index stores neutralised text; neutralising again is one cheap pass
        # that keeps the viewer safe even from an index written by older code.
        body = stored.get("body") or ""
        partial = preview is not None and len(body) > preview
        if partial:
            # The whole is asked for next: read once (a 20 MB article: 0.14 s).
            self._read = (generation, article_id, stored)
            cut = body.rfind("\n", preview // 2, preview)
            body = body[: cut + 1 if cut != -1 else preview]
        body = neutralize(body)
        hits = tuple(match_spans(body, terms)) if terms else ()
        date = stored.get("date")
        document = ArticleDocument(
            id=article_id,
            title=one_line(stored.get("title") or derive_title(body) or article_id),
            body=body,
            source=one_line(stored.get("source") or ""),
            author=one_line(stored.get("author") or ""),
            date=date.date().isoformat() if isinstance(date, dt.datetime) else "",
            path=one_line(str(stored.get("path") or "")),
            url=one_line(stored.get("url") or ""),
            content_hash=str(stored.get("content_hash") or ""),
            hits=hits,
            entities=(
                entities := ()
                if partial
                else entities_from_stored(stored_entities(stored), len(body))
            ),
            partial=partial,
            corpus_counts=self._corpus_counts(article_id, entities) if entities else {},
        )
        if not partial:
            self._keep(document, terms)
        return document

    def forget_articles(self) -> None:
        """Drop the articles kept to open again (a benchmark's first open)."""
        self._recent = {}

    def _keep(self, document: ArticleDocument, terms: Any) -> None:
        """Keep ``document`` (whole) to open it again at once: the last few articles
        opened, up to :data:`RECENT_CHARS` characters in all."""
        recent = dict(self._recent)  # a copy: another thread may be reading it
        recent.pop(document.id, None)
        recent[document.id] = (document, terms)
        total = sum(len(kept.body) for kept, _ in recent.values())
        for article_id in list(recent)[:-1]:
            if total <= RECENT_CHARS and len(recent) <= RECENT_ARTICLES:
                break
            total -= len(recent.pop(article_id)[0].body)
        self._recent = recent

    def _again(self, document: ArticleDocument, kept_terms: Any, terms: Any) -> ArticleDocument:
        """An article opened lately, with the hits of ``terms``: its text, entities
        and wrapping are those already made (a 20 MB article: seconds saved)."""
        from dataclasses import replace

        from reader.search.snippets import match_spans

        if terms != kept_terms:
            hits = tuple(match_spans(document.body, terms)) if terms else ()
            document = replace(document, hits=hits)
        self._keep(document, terms)  # the most recent now
        return document

    def agreement_record(self, article_id: str, name: str) -> AgreementView | None:
        """The corpus record of the agreement ``name`` of an article, or None (not indexed yet).

        Raises ``reader.agreements.corrections.CorrectionError`` when the user's
        corrections file cannot be read.
        """
        from reader.agreements import catalog
        from reader.agreements.records import evidence_text, record_lines

        records = catalog.load(self.index)
        record = next(
            (
                r
                for r in records
                for m in r.members
                if m.article_id == article_id and m.name == name
            ),
            None,
        )
        if record is None:
            return None
        articles = []
        with self.searching() as searcher:
            for member in record.members:
                stored = searcher.document(id=member.article_id) or {}
                body = stored.get("body", "")
                evidence = evidence_text(body, member.entity.get("evidence") or ())
                articles.append(
                    AgreementArticle(
                        member.article_id,
                        member.title or member.article_id,
                        member.article_date,
                        member.name,
                        tuple(evidence),
                    )
                )
        return AgreementView(record.id, record.name, tuple(record_lines(record)), tuple(articles))

    def _corpus_counts(self, article_id: str, entities: Sequence[Any]) -> dict[str, int]:
        """How many articles mention each entity, from the index's entity table.

        Empty when the table cannot be read or built: the panel then shows the
        article's own counts only.
        """
        try:
            table = self.index.entity_table()
        except Exception:
            return {}
        counts = {}
        for entity in entities:
            ident = table.id_of(article_id, entity.kind, entity.name)
            row = table.rows.get(ident) if ident else None
            if row is not None:
                counts[entity.key] = row.count
        return counts

    def entity_details(self, kind: str, name: str) -> EntityDetails:
        from reader.search.entity_queries import articles_mentioning, co_occurring

        with self.searching() as searcher:
            articles = articles_mentioning(searcher, kind, name)
            companions = co_occurring(searcher, kind, name, limit=15)
        return EntityDetails(kind, name, tuple(articles), tuple(companions))

    @property
    def corpus_key(self) -> str:
        """The name the corpus's highlights keep of it (they belong to one corpus)."""
        from reader.highlights.model import corpus_key

        return corpus_key(self.corpus)

    def collect(
        self,
        highlights: Sequence[Highlight],
        scope: Scope,
        cancelled: Callable[[], bool] | None = None,
    ) -> ExcerptSet:
        """The excerpts of ``scope``: ``highlights`` placed in the articles' current text.

        Raises ``reader.export.ExportError`` with a one-line message.
        """
        from reader.export import collect_from

        with self.searching() as searcher:
            return collect_from(
                searcher, highlights, scope, corpus=self.corpus_key, cancelled=cancelled
            )

    def export(
        self,
        highlights: Sequence[Highlight],
        scope: Scope,
        path: Path,
        fmt: str,
        *,
        overwrite: bool = False,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[Path, int]:
        """Write the export of ``scope`` to ``path``: the path and the number of excerpts.

        Raises ``reader.export.DestinationExists`` when ``path`` exists and
        ``overwrite`` is False, ``ExportError`` for anything else the user can fix,
        ``ExportCancelled`` (nothing written) once ``cancelled()`` says so.
        """
        from reader.export import export_to_path

        excerpts = self.collect(() if scope.hits else highlights, scope, cancelled)
        written = export_to_path(
            excerpts, path, fmt, overwrite=overwrite, path_base=self.corpus, cancelled=cancelled
        )
        return written, len(excerpts)
