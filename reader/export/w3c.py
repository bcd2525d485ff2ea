"""W3C Web Annotation export (JSON-LD).

The document is an ``AnnotationPage`` whose ``items`` are annotations, each
with its own ``@context`` so it stands alone when copied out:

* ``motivation``: ``commenting`` when the highlight has a note (the note is a
  ``TextualBody`` with purpose ``commenting``), else ``highlighting``; each tag
  is a ``TextualBody`` with purpose ``tagging``. Search-hit passages are
  ``highlighting`` annotations without a body.
* ``target``: the article's URL, else its file as a ``file://`` URI, refined by
  a ``TextQuoteSelector`` (exact, prefix, suffix) and a ``TextPositionSelector``
  (start, end). Positions count code points in the article *body*, the text
  after the front matter, as every offset in reader does. An orphaned
  highlight has no valid position, so it carries the quote selector only.
* ``id``: ``urn:uuid:`` and the highlight's id; a search-hit passage gets a
  name-based UUID from its article and offsets, stable across exports.
* ``created`` / ``modified``: UTC, written with ``Z``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from reader.export.model import ArticleInfo, Excerpt, ExcerptSet
from reader.highlights.model import format_time

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_HIT_NAMESPACE = uuid.UUID("6f1d3c52-8a0e-4d59-9a57-3b7c2f9e1a40")


def target_source(article: ArticleInfo) -> str:
    if article.url:
        return article.url
    if article.path and Path(article.path).is_absolute():
        return Path(article.path).as_uri()
    return "urn:reader:article:" + uuid.uuid5(_HIT_NAMESPACE, article.id).hex


def annotation_id(article: ArticleInfo, x: Excerpt) -> str:
    if x.highlight_id:
        try:
            return uuid.UUID(x.highlight_id).urn
        except ValueError:
            pass
        return uuid.uuid5(_HIT_NAMESPACE, f"highlight:{x.highlight_id}").urn
    return uuid.uuid5(_HIT_NAMESPACE, f"{article.id}:{x.start}:{x.end}").urn


def annotation(article: ArticleInfo, x: Excerpt) -> dict[str, Any]:
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": x.quote, "prefix": x.prefix, "suffix": x.suffix}
    ]
    if not x.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": x.start, "end": x.end})
    bodies: list[dict[str, Any]] = []
    if x.note:
        note = {"type": "TextualBody", "value": x.note, "format": "text/plain"}
        bodies.append({**note, "purpose": "commenting"})
    for tag in x.tags:
        bodies.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_id(article, x),
        "type": "Annotation",
        "motivation": "commenting" if x.note else "highlighting",
    }
    if x.created:
        result["created"] = format_time(x.created)
    if x.updated:
        result["modified"] = format_time(x.updated)
    if bodies:
        result["body"] = bodies[0] if len(bodies) == 1 else bodies
    result["target"] = {"source": target_source(article), "selector": selectors}
    return result


def to_page(excerpts: ExcerptSet) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": [annotation(article, x) for article, x in excerpts.excerpts()],
    }


def render_w3c(excerpts: ExcerptSet) -> str:
    return json.dumps(to_page(excerpts), ensure_ascii=False, indent=2) + "\n"
