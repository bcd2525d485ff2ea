"""JSON and YAML exports: one schema for both, and a reader that brings it back.

The document::

    format: reader-excerpts
    version: 1
    exported: "2026-11-23T10:15:00Z"          # UTC
    scope: {articles: [...], query: str|null, hits: bool}
    articles:
      - id, title, source, author, date ("YYYY-MM-DD"|null), url, path,
        content_hash, available (false: the article left the corpus)
        agreements: [{name, kind, status, date, parties: [str], signatories: [str], place}]
        excerpts:
          - kind: highlight | hit
            highlight_id: str|null          # null for search-hit passages
            corpus: str|null                # the highlight's corpus folder
            status: anchored | reanchored | orphaned
            orphaned: bool
            quote, prefix, suffix           # W3C TextQuoteSelector
            start, end                      # code-point offsets into the body
            content_hash                    # of the text start/end point into
            note, tags: [str]
            created, updated: UTC time | null
            entities: [{type, name, text, start, end}]   # mentions inside the quote
            hits: [{start, end, text}]                    # query hits inside the quote

Every offset is into the article body (the text the index stores), never into
the file with its front matter. YAML is written with ``yaml.safe_dump`` and read
with ``yaml.safe_load``; both readers accept either format.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml

from reader.export.model import (
    AgreementInfo,
    ArticleExcerpts,
    ArticleInfo,
    Excerpt,
    ExcerptSet,
    ExportError,
    Mention,
    Scope,
)
from reader.highlights.anchoring import Anchor
from reader.highlights.model import Highlight, format_time, parse_time

FORMAT_NAME = "reader-excerpts"
FORMAT_VERSION = 1


def to_data(excerpts: ExcerptSet) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": format_time(excerpts.exported),
        "scope": excerpts.scope.to_dict(),
        "articles": [_article(group) for group in excerpts.groups],
    }


def _article(group: ArticleExcerpts) -> dict[str, Any]:
    a = group.article
    return {
        "id": a.id,
        "title": a.display_title,
        "source": a.source or None,
        "author": a.author or None,
        "date": a.date.isoformat() if a.date else None,
        "url": a.url or None,
        "path": a.path or None,
        "content_hash": a.content_hash or None,
        "available": a.available,
        "agreements": [agreement.to_dict() for agreement in a.agreements],
        "excerpts": [_excerpt(x) for x in group.excerpts],
    }


def _excerpt(x: Excerpt) -> dict[str, Any]:
    base = x.start
    return {
        "kind": x.kind,
        "highlight_id": x.highlight_id,
        "corpus": x.corpus or None,
        "status": x.status,
        "orphaned": x.orphaned,
        "quote": x.quote,
        "prefix": x.prefix,
        "suffix": x.suffix,
        "start": x.start,
        "end": x.end,
        "content_hash": x.content_hash or None,
        "note": x.note,
        "tags": list(x.tags),
        "created": format_time(x.created) if x.created else None,
        "updated": format_time(x.updated) if x.updated else None,
        "entities": [
            {"type": m.type, "name": m.name, "text": m.text, "start": m.start, "end": m.end}
            for m in x.entities
        ],
        "hits": [{"start": s, "end": e, "text": x.quote[s - base : e - base]} for s, e in x.hits],
    }


def render_json(excerpts: ExcerptSet) -> str:
    # json escapes C0 controls itself; the text was neutralised for the rest.
    return json.dumps(to_data(excerpts), ensure_ascii=False, indent=2) + "\n"


def render_yaml(excerpts: ExcerptSet) -> str:
    return yaml.safe_dump(
        to_data(excerpts), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


# -- reading back --------------------------------------------------------------------------------


def read_excerpts(text: str) -> ExcerptSet:
    """Parse a JSON or YAML export back into an :class:`ExcerptSet`.

    Raises ExportError when the text is not an export this version understands.
    """
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ExportError(f"not a JSON or YAML export: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ExportError("not a reader excerpts export")
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ExportError(f"export format version {version!r} is not one this reader knows")
    try:
        scope_data = data.get("scope") or {}
        scope = Scope(
            article_ids=tuple(scope_data.get("articles") or ()),
            query=scope_data.get("query"),
            hits=bool(scope_data.get("hits")),
        )
        groups = tuple(_read_group(g) for g in data.get("articles") or ())
        exported = parse_time(str(data["exported"]))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ExportError(f"damaged export: {type(error).__name__}: {error}") from None
    return ExcerptSet(groups, scope, exported)


def _read_group(data: dict[str, Any]) -> ArticleExcerpts:
    date = data.get("date")
    article = ArticleInfo(
        id=str(data["id"]),
        title=str(data.get("title") or ""),
        source=str(data.get("source") or ""),
        author=str(data.get("author") or ""),
        date=dt.date.fromisoformat(str(date)) if date else None,
        url=str(data.get("url") or ""),
        path=str(data.get("path") or ""),
        content_hash=str(data.get("content_hash") or ""),
        available=bool(data.get("available", True)),
        agreements=tuple(
            AgreementInfo.from_entity(item)
            for item in data.get("agreements") or ()
            if isinstance(item, dict)
        ),
    )
    return ArticleExcerpts(article, tuple(_read_excerpt(x) for x in data.get("excerpts") or ()))


def _read_excerpt(data: dict[str, Any]) -> Excerpt:
    kind = data.get("kind")
    if kind not in ("highlight", "hit"):
        raise ValueError(f"unknown excerpt kind {kind!r}")
    created, updated = data.get("created"), data.get("updated")
    return Excerpt(
        kind=kind,
        quote=str(data["quote"]),
        prefix=str(data.get("prefix") or ""),
        suffix=str(data.get("suffix") or ""),
        start=int(data["start"]),
        end=int(data["end"]),
        content_hash=str(data.get("content_hash") or ""),
        status=str(data.get("status") or "anchored"),
        highlight_id=data.get("highlight_id"),
        note=str(data.get("note") or ""),
        tags=tuple(str(t) for t in data.get("tags") or ()),
        created=parse_time(str(created)) if created else None,
        updated=parse_time(str(updated)) if updated else None,
        entities=tuple(
            Mention(str(m["type"]), str(m["name"]), str(m["text"]), int(m["start"]), int(m["end"]))
            for m in data.get("entities") or ()
        ),
        hits=tuple((int(h["start"]), int(h["end"])) for h in data.get("hits") or ()),
        corpus=str(data.get("corpus") or ""),
    )


def highlights_from_excerpts(excerpts: ExcerptSet) -> list[Highlight]:
    """The highlights an export carries (search-hit passages are not highlights).

    What :meth:`reader.highlights.store.HighlightStore.import_highlights` takes.
    """
    found: list[Highlight] = []
    for article, x in excerpts.excerpts():
        if x.kind != "highlight" or not x.highlight_id:
            continue
        found.append(
            Highlight(
                id=x.highlight_id,
                article_id=article.id,
                anchor=Anchor(x.quote, x.prefix, x.suffix, x.start, x.end, x.content_hash),
                note=x.note,
                tags=x.tags,
                created=x.created or excerpts.exported,
                updated=x.updated,
                corpus=x.corpus,
            )
        )
    return found
