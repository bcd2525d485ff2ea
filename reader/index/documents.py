"""What the index stores of one article file: loading, entity recognition, the document.

:func:`prepare` turns a file into the document the index writes (or the reason
it cannot), and is safe to run in any process: the index's worker processes, or
the child that scans the corpus while a command starts (:mod:`reader.index.prescan`).
Nothing here imports Whoosh.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.corpus import articles as corpus
from reader.corpus import streaming
from reader.corpus.articles import Article, ArticleError, Problem, SourceFile
from reader.support.locations import config_dir

ENTITY_FIELDS = {
    "person": "people",
    "place": "places",
    "organisation": "organisations",
    "agreement": "agreements",
}


def source_key(source: str | None) -> str:
    """The exact-match key used to filter by source."""
    return " ".join((source or "").lower().split())


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article loaded and analysed, ready to be written (or the reason it is not)."""

    source: SourceFile
    document: dict[str, Any] | None
    problems: tuple[Problem, ...]


def user_gazetteer() -> Path | None:
    """The user's own names and aliases (``gazetteer.yaml`` in the config folder)."""
    path = config_dir() / "gazetteer.yaml"
    return path if path.is_file() else None


def gazetteer_problem() -> Problem | None:
    """Why the user's gazetteer cannot be used, when it cannot (it is then ignored)."""
    path = user_gazetteer()
    if path is None:
        return None
    from reader.entities.gazetteer import GazetteerError, load_gazetteer

    try:
        load_gazetteer(path)
    except (GazetteerError, OSError, ValueError) as error:
        return Problem(path, f"gazetteer ignored: {error}")
    return None


@functools.cache
def recognizer() -> Any:
    """This process's entity recognizer: the shipped gazetteer plus the user's, if usable."""
    from reader.entities import Recognizer, default_recognizer

    path = user_gazetteer()
    if path is None or gazetteer_problem() is not None:
        return default_recognizer()
    return Recognizer(extra_gazetteer=path)


#: ``READER_ENTITIES=off`` indexes without entity recognition. It exists for
#: ``reader bench``, which measures what recognition adds to the build time.
ENV_ENTITIES = "READER_ENTITIES"


def entities_enabled() -> bool:
    return os.environ.get(ENV_ENTITIES, "on").lower() not in ("off", "0", "no")


def entities_of(article: Article) -> list[Any]:
    """Entity recognition for one article (runs in the index worker)."""
    if not entities_enabled():
        return []
    from reader.entities.agreement_fields import resolve_dates

    entities = recognizer().recognize(article.body, title=article.title, author=article.author)
    return resolve_dates(entities, article.date)


def entities_json(entities: list[Any]) -> str:
    """``json.dumps([e.to_dict() for e in entities], ensure_ascii=False)``, written
    mention by mention: a 20 MB article has hundreds of thousands of mentions, and a
    dict for each cost more memory than the rest of its indexing."""
    return "[" + ", ".join(map(_entity_json, entities)) + "]"


def entities_json_pieces(entities: list[Any]) -> streaming.Pieces:
    """:func:`entities_json`, compressed a piece at a time and never joined (a big
    file's, where it is megabytes), emptying ``entities`` as it goes: each entity
    is let go of once written."""

    def texts() -> Iterator[str]:
        entities.reverse()
        yield "["
        while entities:
            yield _entity_json(entities.pop()) + (", " if entities else "")
        yield "]"

    return streaming.Pieces.of(texts())


def _entity_json(entity: Any) -> str:
    text = functools.partial(json.dumps, ensure_ascii=False)
    mentions = ", ".join(
        f'{{"start": {m.start}, "end": {m.end}, "text": {text(m.text)}}}' for m in entity.mentions
    )
    # An agreement's record (kind, parties, date, evidence…) follows, as in to_dict().
    record = "".join(f", {text(k)}: {text(v)}" for k, v in (entity.record or {}).items())
    return (
        f'{{"type": {text(entity.type)}, "name": {text(entity.name)}, '
        f'"mentions": [{mentions}]{record}}}'
    )


#: Stored entities longer than this are read with their mentions made compact.
BIG_ENTITIES_CHARS = 1 << 20


class LoadedEntities(list):  # type: ignore[type-arg]
    """Stored entities already read, as :func:`load_entities` reads big ones (by
    :func:`reader.index.stored.without_body`, a piece at a time as they decompress)."""


def load_entities(raw: str | LoadedEntities, *, whole_mentions: tuple[str, ...] = ()) -> Any:
    """The stored ``entities`` JSON of an article, for a table of the corpus.

    A huge article (20 MB: 150,000 mentions) parsed into a dict per mention took
    45 MB. When ``raw`` is longer than :data:`BIG_ENTITIES_CHARS`, the mentions of
    entities whose type is not in ``whole_mentions`` are only their texts (one
    string per distinct text); callers must accept a mention as a dict or a string.
    ``raw`` already read (:class:`LoadedEntities`, read with agreements' mentions
    whole) is returned as it is. Raises ``ValueError`` for JSON that does not parse.
    """
    if isinstance(raw, LoadedEntities):
        return raw
    if len(raw) <= BIG_ENTITIES_CHARS:
        return json.loads(raw)
    return json.loads(raw, object_pairs_hook=compact_entities(whole_mentions))


def compact_entities(whole_mentions: tuple[str, ...]) -> Callable[[list[tuple[str, Any]]], Any]:
    """The ``object_pairs_hook`` that reads stored entities compactly (see
    :func:`load_entities`): each distinct mention text once."""
    texts: dict[str, str] = {}

    def hook(pairs: list[tuple[str, Any]]) -> Any:
        keys = [key for key, _ in pairs]
        if keys == ["start", "end", "text"]:
            text = pairs[2][1]
            return (pairs[0][1], pairs[1][1], texts.setdefault(text, text))
        value = dict(pairs)
        mentions = value.get("mentions")
        if isinstance(mentions, list) and "type" in value:
            whole = value["type"] in whole_mentions
            value["mentions"] = [
                ({"start": m[0], "end": m[1], "text": m[2]} if whole else m[2])
                if isinstance(m, tuple)
                else m
                for m in mentions
            ]
        return value

    return hook


def prepare(source: SourceFile) -> Prepared:
    """Load one file and turn it into an index document. Safe to run in a subprocess.

    A file of :data:`~reader.corpus.streaming.STREAM_BYTES` or more is read a
    window at a time (:mod:`reader.corpus.streaming`), for the same document.
    """
    whole = False
    if source.size >= streaming.STREAM_BYTES:
        try:
            return _prepare_streamed(source)
        except streaming.NotStreamable:
            whole = True  # not plain UTF-8: loaded whole, as any other file
    try:
        article = corpus.load(source, whole=whole)
    except ArticleError as error:
        return Prepared(source, None, (Problem(source.path, str(error)),))
    return _prepared(source, article, article.body, entities_of(article))


def _prepare_streamed(source: SourceFile) -> Prepared:
    """:func:`prepare` of a big file, whose whole text is never held: each window
    of its body is recognised as it is read, and kept compressed for the index."""
    from reader.entities import recognizer as recognition

    try:
        streamed = streaming.StreamedFile(source, corpus.MAX_FILE_BYTES)
        head = corpus.article_of(source, streamed.meta, "", "")
        windows = streamed.windows(recognition.WINDOW_CHARS)
        if entities_enabled():
            entities = recognizer().recognize_windows(windows, head.author)
        else:
            entities = []
            collections.deque(windows, maxlen=0)  # read for the body and its hash
    except ArticleError as error:
        return Prepared(source, None, (Problem(source.path, str(error)),))
    if entities:
        from reader.entities.agreement_fields import resolve_dates

        entities = resolve_dates(entities, head.date)
    article = dataclasses.replace(head, content_hash=streamed.content_hash)
    return _prepared(source, article, streamed.body, entities)


def _prepared(source: SourceFile, article: Article, body: Any, entities: list[Any]) -> Prepared:
    """The document of ``article`` with its ``entities``; ``body`` is its text, whole
    or in compressed parts (:class:`~reader.corpus.streaming.BodyParts`)."""
    names: dict[str, list[str]] = {f: [] for f in ENTITY_FIELDS.values()}
    for entity in entities:
        names[ENTITY_FIELDS[entity.type]].append(entity.name)
        kind = (entity.record or {}).get("kind")
        if kind and kind not in entity.name.lower():
            # `agreement:deal` finds the deal an article calls "an agreement allowing ..."
            names[ENTITY_FIELDS[entity.type]].append(str(kind))
        if entity.type == "organisation":  # org:NATO finds the North Atlantic Treaty Organization
            forms = {m.text for m in entity.mentions} - {entity.name}
            names["organisations"].extend(sorted(forms))
    document = {
        "id": article.id,
        "path": str(article.path),
        "title": article.title or "",
        "body": body,
        "source": article.source or "",
        "source_key": source_key(article.source),
        "author": article.author or "",
        "url": article.url or "",
        "content_hash": article.content_hash,
        "entities": entities_json_pieces(entities)
        if isinstance(body, streaming.Pieces)
        else entities_json(entities),
        # Names are separated by a line so a phrase query cannot run across two names.
        **{name: "\n".join(values) for name, values in names.items()},
    }
    if article.date is not None:
        document["date"] = datetime(article.date.year, article.date.month, article.date.day)
    warnings = tuple(Problem(source.path, w, "warning") for w in article.warnings)
    return Prepared(source, document, warnings)


def manifest_entry(prepared: Prepared) -> list[Any]:
    """What the manifest remembers of a file: where, which version, and why it failed.

    The failed version is remembered too, so that an unchanged broken file is not
    read again at every update.
    """
    source = prepared.source
    reasons = None
    if prepared.document is None:
        reasons = [p.reason for p in prepared.problems if p.severity == "error"]
    return [source.location, *source.stamp, reasons]


def recognizer_version() -> str:
    """Changes when the recognizer or the user's gazetteer does: the index then rebuilds."""
    from reader.entities.version import RECOGNIZER_VERSION

    version = str(RECOGNIZER_VERSION) if entities_enabled() else "off"
    path = user_gazetteer()
    if path is not None:
        try:
            version += "+user:" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            version += "+user:unreadable"
    return version
