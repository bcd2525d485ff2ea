"""What an export holds: articles, each with its excerpts, independent of the format.

An :class:`Excerpt` is either a user's highlight (``kind="highlight"``, with its
note, tags and anchoring status) or a keyword-in-context passage of a search
(``kind="hit"``). Offsets (``start``/``end``, entity mentions, query hits) are
character offsets into the article body, the same text the index stores.

:func:`collect` gathers an :class:`ExcerptSet` from the index and the highlight
store for a :class:`Scope`; the builders below it work on plain data and are
what the tests use on hand-made articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from reader.highlights.model import Highlight, Placed, belongs, corpus_key, place_highlight, utc_now
from reader.support.textsafe import neutralize, one_line

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from reader.highlights.store import HighlightStore
    from reader.index.corpus_index import CorpusIndex
    from reader.search.snippets import Terms

ExcerptKind = Literal["highlight", "hit"]
Span = tuple[int, int]


class ExportError(Exception):
    """An export that cannot be made; the message is one line for the user."""


class ExportCancelled(ExportError):
    """The export was stopped (the user quit or cancelled it); nothing was written."""

    def __init__(self) -> None:
        super().__init__("export cancelled")


Cancelled = Callable[[], bool]
#: Passages (or hits) worked between two looks at whether the export was cancelled.
CHECK_EVERY = 256


def check_cancelled(cancelled: Cancelled | None) -> None:
    """Raise :class:`ExportCancelled` when ``cancelled()`` says so."""
    if cancelled is not None and cancelled():
        raise ExportCancelled


@dataclass(frozen=True, slots=True)
class Scope:
    """Which excerpts to export.

    * nothing set: every highlight of every article;
    * ``article_ids``: the highlights of these articles only;
    * ``query``: the highlights of the articles the query matches, ranked as the
      search ranks them, with the query's hits marked inside the quotes;
    * ``query`` and ``hits``: no highlights; the passages around the query's
      hits in each matching article (keyword in context).

    ``article_ids`` and ``query`` together narrow to the matching articles among
    those given.
    """

    article_ids: tuple[str, ...] = ()
    query: str | None = None
    hits: bool = False

    def __post_init__(self) -> None:
        if self.hits and not (self.query or "").strip():
            raise ExportError("search-hit passages need a query")

    def to_dict(self) -> dict[str, Any]:
        return {"articles": list(self.article_ids), "query": self.query, "hits": self.hits}

    def describe(self) -> str:
        if self.hits:
            return f"passages matching {self.query}"
        if self.query:
            return f"highlights in articles matching {self.query}"
        if self.article_ids:
            return "highlights of " + ", ".join(self.article_ids)
        return "all highlights"


@dataclass(frozen=True, slots=True)
class AgreementInfo:
    """An agreement the article reports, as its record says (:mod:`reader.entities.agreements`)."""

    name: str
    kind: str = ""
    status: str = ""
    date: str | None = None
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    place: str | None = None

    @classmethod
    def from_entity(cls, entity: dict[str, Any]) -> AgreementInfo:
        def names(key: str) -> tuple[str, ...]:
            value = entity.get(key) or ()
            return tuple(one_line(str(v)) for v in value) if isinstance(value, list) else ()

        place = entity.get("place")
        date = entity.get("date")
        return cls(
            name=one_line(str(entity.get("name", ""))),
            kind=one_line(str(entity.get("kind") or "")),
            status=one_line(str(entity.get("status") or "")),
            date=one_line(str(date)) if date else None,
            parties=names("parties"),
            signatories=names("signatories"),
            place=one_line(str(place)) if place else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind or None,
            "status": self.status or None,
            "date": self.date,
            "parties": list(self.parties),
            "signatories": list(self.signatories),
            "place": self.place,
        }


def agreements_of(entities: Sequence[dict[str, Any]]) -> tuple[AgreementInfo, ...]:
    return tuple(
        AgreementInfo.from_entity(e)
        for e in entities
        if isinstance(e, dict) and e.get("type") == "agreement"
    )


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What an export cites about an article."""

    id: str
    title: str
    source: str = ""
    author: str = ""
    date: dt.date | None = None
    url: str = ""
    path: str = ""
    content_hash: str = ""
    #: False when the article is no longer in the corpus (its highlights are orphaned).
    available: bool = True
    #: The agreements the article reports, with their records.
    agreements: tuple[AgreementInfo, ...] = ()

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> ArticleInfo:
        from reader.corpus.articles import derive_title
        from reader.search.engine import stored_entities

        date = stored.get("date")
        if isinstance(date, dt.datetime):
            date = date.date()
        return cls(
            id=stored["id"],
            title=one_line(stored.get("title") or derive_title(stored.get("body", ""))) or "",
            source=one_line(stored.get("source") or ""),
            author=one_line(stored.get("author") or ""),
            date=date if isinstance(date, dt.date) else None,
            url=one_line(stored.get("url") or ""),
            path=one_line(stored.get("path") or ""),
            content_hash=stored.get("content_hash") or "",
            agreements=agreements_of(stored_entities(stored)),
        )

    @classmethod
    def missing(cls, article_id: str) -> ArticleInfo:
        return cls(id=article_id, title="", available=False)

    @property
    def display_title(self) -> str:
        return self.title or self.id


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention inside an excerpt."""

    type: str
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One exported passage."""

    kind: ExcerptKind
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    #: The hash of the text ``start``/``end`` point into (an orphan's: the old text's).
    content_hash: str = ""
    #: ``anchored``, ``reanchored`` or ``orphaned`` for highlights; ``anchored`` for hits.
    status: str = "anchored"
    highlight_id: str | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    entities: tuple[Mention, ...] = ()
    #: Query hits inside the quote, as body offsets.
    hits: tuple[Span, ...] = ()
    #: The corpus the highlight belongs to (:func:`reader.highlights.model.corpus_key`).
    corpus: str = ""

    @property
    def orphaned(self) -> bool:
        return self.status == "orphaned"

    @property
    def entity_spans(self) -> tuple[Span, ...]:
        return tuple((m.start, m.end) for m in self.entities)


@dataclass(frozen=True, slots=True)
class ArticleExcerpts:
    article: ArticleInfo
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True, slots=True)
class ExcerptSet:
    """Everything one export holds."""

    groups: tuple[ArticleExcerpts, ...]
    scope: Scope = field(default_factory=Scope)
    exported: dt.datetime = field(default_factory=utc_now)

    def __len__(self) -> int:
        return sum(len(g.excerpts) for g in self.groups)

    def excerpts(self) -> Iterable[tuple[ArticleInfo, Excerpt]]:
        for group in self.groups:
            for excerpt in group.excerpts:
                yield group.article, excerpt


# -- builders on plain data ----------------------------------------------------------------------


def mentions_in(entities: Sequence[dict[str, Any]], start: int, end: int) -> tuple[Mention, ...]:
    """The entity mentions that overlap ``[start, end)``, in reading order.

    A mention keeps its own offsets, which may reach outside the excerpt: a
    highlight of "Kishi" in "Nobuo Kishi" still names Nobuo Kishi.
    """
    return MentionFinder(entities)(start, end)


class MentionFinder:
    """The entity mentions of one article, sorted once, looked up by range.

    An export asks for the mentions of every passage of an article: scanning every
    mention each time made a long article's export quadratic (a 2 MB article took
    minutes). Here each look-up is a binary search plus the mentions it returns.
    """

    __slots__ = ("_ends", "_longest", "_mentions", "_starts")

    def __init__(self, entities: Sequence[dict[str, Any]]) -> None:
        found: list[tuple[int, int, str, str, str]] = []
        for entity in entities:
            mentions = entity.get("mentions") or ()
            if not mentions:
                continue
            kind = str(entity.get("type", ""))
            name = one_line(str(entity.get("name", "")))
            for mention in mentions:
                s, e = mention.get("start"), mention.get("end")
                if isinstance(s, int) and isinstance(e, int) and s <= e:
                    found.append((s, e, kind, name, str(mention.get("text", ""))))
        found.sort(key=lambda m: (m[0], m[1]))
        self._mentions = found
        self._starts = [m[0] for m in found]
        self._longest = max((m[1] - m[0] for m in found), default=0)

    def __call__(self, start: int, end: int) -> tuple[Mention, ...]:
        # Only a mention that starts at most ``longest`` before ``start`` can reach it.
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        return tuple(
            Mention(type=kind, name=name, text=one_line(text), start=s, end=e)
            for s, e, kind, name, text in self._mentions[first:last]
            if e > start
        )


def highlight_excerpt(
    placed: Placed,
    body: str | None,
    content_hash: str = "",
    entities: Sequence[dict[str, Any]] | MentionFinder = (),
    hit_spans: Callable[[int, int], list[Span]] | None = None,
) -> Excerpt:
    """An excerpt of a highlight at its current place in ``body`` (whose hash is
    ``content_hash``), or at its old anchor when it is orphaned."""
    from reader.highlights.anchoring import make_anchor

    highlight: Highlight = placed.highlight
    anchor = highlight.anchor
    start, end = placed.placement.start, placed.placement.end
    mentions: tuple[Mention, ...] = ()
    hits: tuple[Span, ...] = ()
    if body is not None and start is not None and end is not None:
        anchor = make_anchor(body, start, end, content_hash)
        finder = entities if isinstance(entities, MentionFinder) else MentionFinder(entities)
        mentions = finder(start, end)
        hits = tuple(hit_spans(start, end)) if hit_spans else ()
    return Excerpt(
        kind="highlight",
        quote=neutralize(anchor.quote),
        prefix=neutralize(anchor.prefix),
        suffix=neutralize(anchor.suffix),
        start=anchor.start,
        end=anchor.end,
        content_hash=anchor.content_hash,
        status=placed.status,
        highlight_id=highlight.id,
        note=neutralize(highlight.note),
        tags=tuple(one_line(t) for t in highlight.tags),
        created=highlight.created,
        updated=highlight.updated,
        entities=mentions,
        hits=hits,
        corpus=highlight.corpus,
    )


def article_excerpts(
    article: ArticleInfo,
    body: str | None,
    highlights: Sequence[Highlight],
    entities: Sequence[dict[str, Any]] = (),
    terms: Terms | None = None,
) -> ArticleExcerpts:
    """The excerpts of an article's highlights, in reading order, orphans last."""
    hit_spans = _hit_finder(body, terms)
    finder = MentionFinder(entities)
    excerpts = []
    for highlight in highlights:
        placed = place_highlight(highlight, body, article.content_hash)
        excerpts.append(highlight_excerpt(placed, body, article.content_hash, finder, hit_spans))
    excerpts.sort(key=lambda x: (x.orphaned, x.start, x.end))
    return ArticleExcerpts(article, tuple(excerpts))


#: A "sentence" longer than this (a page with no full stops) is cut to a window.
MAX_PASSAGE = 800
#: Context kept each side of a hit when its sentence is too long.
WINDOW = 240


def hit_passages(
    body: str, terms: Terms, limit: int | None = None, cancelled: Cancelled | None = None
) -> list[Span]:
    """The passages around the query's hits in ``body``: each hit's whole sentence.

    Hits in one sentence make one passage. A sentence longer than
    :data:`MAX_PASSAGE` is cut to a window around the hit, at word edges. With
    ``limit``, the passages with the most hits are kept, still in reading order.
    Linear in the body: the sentences of a paragraph are found once, not once a hit.
    """
    from reader.search.snippets import match_spans

    sentence_of = _SentenceFinder(body)
    passages: list[list[int]] = []  # start, end, hit count
    for number, (start, end) in enumerate(match_spans(body, terms)):
        if number % CHECK_EVERY == 0:
            check_cancelled(cancelled)
        if passages and start < passages[-1][1]:
            passages[-1][2] += 1
            passages[-1][1] = max(passages[-1][1], end)
            continue
        bounds = sentence_of(start) or (start, end)
        s, e = min(bounds[0], start), max(bounds[1], end)
        if e - s > MAX_PASSAGE:
            s, e = _word_window(body, start, end)
        if passages and s < passages[-1][1]:
            s = passages[-1][1]
            while s < start and body[s].isspace():
                s += 1
        passages.append([s, e, 1])
    if limit is not None and len(passages) > limit:
        best = sorted(range(len(passages)), key=lambda i: (-passages[i][2], i))[:limit]
        passages = [passages[i] for i in sorted(best)]
    return [(s, e) for s, e, _ in passages]


class _SentenceFinder:
    """``sentence_bounds(body, offset)`` for offsets in reading order, each paragraph
    split into sentences once (a paragraph with thousands of hits was split for each)."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.paragraph: Span | None = None
        self.ends: list[int] = []
        self.spans: list[Span] = []

    def __call__(self, offset: int) -> Span | None:
        from reader.highlights.boundaries import paragraph_bounds, sentence_spans_in

        paragraph = self.paragraph
        if paragraph is None or not paragraph[0] <= offset < paragraph[1]:
            paragraph = paragraph_bounds(self.body, offset)
            if paragraph is None:
                return None
            self.paragraph = paragraph
            start, end = paragraph
            self.spans = sentence_spans_in(self.body[start:end], start)
            self.ends = [e for _, e in self.spans]
        if not self.spans:
            return None
        # The first sentence that ends after the offset, else the last (as sentence_bounds).
        return self.spans[min(bisect.bisect_right(self.ends, offset), len(self.spans) - 1)]


def _word_window(body: str, start: int, end: int) -> Span:
    """About :data:`WINDOW` characters each side of ``start:end``, cut at spaces."""
    s = max(0, start - WINDOW)
    e = min(len(body), end + WINDOW)
    if s > 0:
        space = body.find(" ", s, start)
        s = space + 1 if space != -1 else s
    if e < len(body):
        space = body.rfind(" ", end, e)
        e = space if space != -1 else e
    return s, e


def hit_excerpts(
    article: ArticleInfo,
    body: str,
    passages: Sequence[Span],
    entities: Sequence[dict[str, Any]] = (),
    terms: Terms | None = None,
    cancelled: Cancelled | None = None,
) -> ArticleExcerpts:
    """Keyword-in-context excerpts: one per passage (see :func:`hit_passages`)."""
    from reader.highlights.anchoring import make_anchor

    hit_spans = _hit_finder(body, terms)
    mentions = MentionFinder(entities)
    excerpts = []
    for number, (start, end) in enumerate(passages):
        if number % CHECK_EVERY == 0:
            check_cancelled(cancelled)
        if not 0 <= start < end <= len(body):
            continue
        anchor = make_anchor(body, start, end, article.content_hash)
        excerpts.append(
            Excerpt(
                kind="hit",
                quote=anchor.quote,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                start=start,
                end=end,
                content_hash=article.content_hash,
                entities=mentions(start, end),
                hits=tuple(hit_spans(start, end)) if hit_spans else (),
            )
        )
    return ArticleExcerpts(article, tuple(excerpts))


def _hit_finder(body: str | None, terms: Terms | None) -> Callable[[int, int], list[Span]] | None:
    if body is None or not terms:
        return None
    from reader.search.snippets import match_spans

    def spans(start: int, end: int) -> list[Span]:
        return match_spans(body, terms, start, end)

    return spans


# -- collecting from the index and the store -----------------------------------------------------


def collect(
    index: CorpusIndex,
    store: HighlightStore | None,
    scope: Scope,
    *,
    passages_per_article: int | None = None,
    now: dt.datetime | None = None,
    cancelled: Cancelled | None = None,
) -> ExcerptSet:
    """Gather the excerpts of ``scope``. Raises ExportError (unknown article, bad query),
    or :class:`ExportCancelled` soon after ``cancelled()`` turns true.

    Reads the index through one searcher of its own, so the whole export sees one
    consistent version of the corpus.
    """
    corpus = corpus_key(index.corpus_dir)
    highlights = store.all(corpus) if store is not None and not scope.hits else []
    with index.ix.searcher() as searcher:
        return collect_from(
            searcher,
            highlights,
            scope,
            passages_per_article=passages_per_article,
            now=now,
            corpus=corpus,
            cancelled=cancelled,
        )


def collect_from(
    searcher: Searcher,
    highlights: Sequence[Highlight],
    scope: Scope,
    *,
    passages_per_article: int | None = None,
    now: dt.datetime | None = None,
    corpus: str | None = None,
    cancelled: Cancelled | None = None,
) -> ExcerptSet:
    """:func:`collect` on a searcher the caller holds and a list of highlights.

    Given ``corpus`` (:func:`reader.highlights.model.corpus_key`), a highlight that
    is not of that corpus's article is exported orphaned, under its article id
    alone: never cited with the title of an article it was not made on.
    """
    from reader.search.engine import stored_entities

    cache: dict[str, dict[str, Any] | None] = {}

    def stored_of(article_id: str) -> dict[str, Any] | None:
        if article_id not in cache:
            cache[article_id] = searcher.document(id=article_id)
        return cache[article_id]

    wanted = list(dict.fromkeys(scope.article_ids))
    by_article: dict[str, list[Highlight]] = {}
    for highlight in highlights:
        by_article.setdefault(highlight.article_id, []).append(highlight)
    for article_id in wanted:
        if stored_of(article_id) is None and article_id not in by_article:
            raise ExportError(f"no article {one_line(article_id)!r} in the corpus")

    terms = None
    if scope.query:
        ranked, terms = _search(searcher, scope.query)
        order = [i for i in ranked if not wanted or i in wanted]
    elif wanted:
        order = wanted
    else:
        order = sorted(by_article, key=lambda i: _date_key(stored_of(i), i))

    groups: list[ArticleExcerpts] = []
    for article_id in order:
        check_cancelled(cancelled)
        stored = stored_of(article_id)
        article = ArticleInfo.from_stored(stored) if stored else ArticleInfo.missing(article_id)
        body = stored.get("body", "") if stored else None
        entities = stored_entities(stored) if stored else []
        if scope.hits:
            passages = (
                hit_passages(body, terms, passages_per_article, cancelled) if body and terms else []
            )
            if passages:
                groups.append(hit_excerpts(article, body, passages, entities, terms, cancelled))
            continue
        mine = by_article.get(article_id, [])
        if corpus is not None and body is not None:
            strangers = [h for h in mine if not belongs(h, corpus, body, article.content_hash)]
            mine = [h for h in mine if h not in strangers]
            if strangers:
                groups.append(article_excerpts(ArticleInfo.missing(article_id), None, strangers))
        if mine:
            groups.append(article_excerpts(article, body, mine, entities, terms))
    return ExcerptSet(tuple(groups), scope, now or utc_now())


def _search(searcher: Searcher, query: str) -> tuple[list[str], Terms]:
    from reader.search.engine import search
    from reader.search.query import QueryError

    try:
        results = search(searcher, query, limit=None, snippets=0)
    except QueryError as error:
        raise ExportError(f"bad query: {error}") from None
    return [hit.id for hit in results.hits], results.terms


def _date_key(stored: dict[str, Any] | None, article_id: str) -> tuple[int, str, str]:
    if stored is None:
        return (1, "", article_id)
    date = stored.get("date")
    return (0, date.isoformat() if date else "9999", article_id)
