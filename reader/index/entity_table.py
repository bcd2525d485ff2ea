"""The corpus-wide entity table: one row per entity id, precomputed at index time.

Built from the entities the index stores with each article (recognition ran when
it was indexed), with ids from :mod:`reader.entities.identity`. It answers
``reader entities --all`` and ``reader entity ID`` and gives the app its corpus
counts without reading the index again. Two files in the live index folder,
written atomically and keyed to the index's state (its generation, table of
contents and versions): :data:`SUMMARY_FILE`, the rows with their counts (all
that ``--all`` reads: a few milliseconds at 10,000 articles), and
:data:`TABLE_FILE`, which adds each row's articles and each article's ids. Both
are marshalled plain data behind a magic line and a CRC-32 (marshal reads plain
data several times faster than JSON). A missing, damaged or stale file is
rebuilt on the next read; :meth:`CorpusIndex.update` and ``rebuild`` refresh them
after they change the index.
"""

from __future__ import annotations

import marshal
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.entities.identity import SurnameLinks, entity_id
from reader.support.atomic import write_atomic
from reader.support.collector import collection_paused

TABLE_FILE = "entity-table.marshal"
SUMMARY_FILE = "entity-summary.marshal"
_MAGIC = b"reader entity table 1\n"
#: At most this many spellings are kept as an entity's aliases.
MAX_ALIASES = 12


@dataclass(slots=True)
class EntityRow:
    """One entity across the corpus."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0
    first: str | None = None
    last: str | None = None
    #: How many articles mention it (``len(articles)`` when those are loaded).
    count: int = 0

    def summary(self) -> dict[str, Any]:
        """The row as ``reader entities --all --json`` prints it."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": self.aliases,
            "articles": self.count,
            "mentions": self.mentions,
            "first": self.first,
            "last": self.last,
        }


@dataclass(slots=True)
class Record:
    """What the table needs of one indexed article."""

    article_id: str
    date: str | None
    title: str
    entities: list[dict[str, Any]]


class EntityTable:
    """Rows by id, and for each article the ids it mentions (with its own names for them)."""

    def __init__(
        self,
        key: str,
        rows: dict[str, EntityRow],
        by_article: dict[str, dict[str, str]],
        titles: dict[str, str],
        dates: dict[str, str | None],
    ) -> None:
        self.key = key
        self.rows = rows
        #: article id -> {"type\tname" as the article names it -> entity id}
        self.by_article = by_article
        self.titles = titles
        self.dates = dates

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, key: str, records: Iterable[Record], place_codes: dict[str, str]) -> EntityTable:
        records = list(records)
        links = SurnameLinks(
            e["name"] for r in records for e in r.entities if e.get("type") == "person"
        )
        rows: dict[str, EntityRow] = {}
        spellings: dict[str, Counter[str]] = {}
        by_article: dict[str, dict[str, str]] = {}
        for record in sorted(records, key=lambda r: (r.date or "", r.article_id)):
            local: dict[str, str] = {}
            for entity in record.entities:
                kind, name = str(entity.get("type", "")), str(entity.get("name", ""))
                if not kind or not name:
                    continue
                canonical = links.canonical(name) if kind == "person" else name
                ident = entity_id(kind, canonical, place_codes)
                local[f"{kind}\t{name}"] = ident
                row = rows.get(ident)
                if row is None:
                    row = rows[ident] = EntityRow(ident, kind, canonical)
                    spellings[ident] = Counter()
                if not row.articles or row.articles[-1] != record.article_id:
                    row.articles.append(record.article_id)
                mentions = entity.get("mentions") or []
                row.mentions += len(mentions)
                forms = spellings[ident]
                # A mention is a dict, or only its text (reader.index.documents.load_entities).
                forms.update(m if isinstance(m, str) else str(m.get("text", "")) for m in mentions)
                if name != canonical:
                    forms[name] += 1
                if record.date:
                    row.first = min(row.first or record.date, record.date)
                    row.last = max(row.last or record.date, record.date)
            by_article[record.article_id] = local
        for ident, row in rows.items():
            forms = [f for f, _n in spellings[ident].most_common() if f and f != row.name]
            row.aliases = forms[:MAX_ALIASES]
            row.count = len(row.articles)
        titles = {r.article_id: r.title for r in records}
        dates = {r.article_id: r.date for r in records}
        return cls(key, rows, by_article, titles, dates)

    # -- reading ----------------------------------------------------------------------------

    def ranked(self, kind: str | None = None) -> list[EntityRow]:
        """Rows of one type (or all), most articles first, then most mentions, then name."""
        rows = [r for r in self.rows.values() if kind is None or r.type == kind]
        rows.sort(key=lambda r: (-r.count, -r.mentions, r.name.lower(), r.id))
        return rows

    def id_of(self, article_id: str, kind: str, name: str) -> str | None:
        """The id of the entity an article names ``name``."""
        return self.by_article.get(article_id, {}).get(f"{kind}\t{name}")

    def cooccurring(self, ident: str) -> list[tuple[EntityRow, int]]:
        """Entities that share articles with ``ident``, most shared articles first."""
        row = self.rows[ident]
        shared: Counter[str] = Counter()
        for article_id in row.articles:
            shared.update(set(self.by_article.get(article_id, {}).values()) - {ident})
        found = [(self.rows[other], count) for other, count in shared.items() if other in self.rows]
        found.sort(key=lambda pair: (-pair[1], -pair[0].count, pair[0].name.lower()))
        return found

    # -- the files ---------------------------------------------------------------------------

    def _summary_rows(self) -> list[tuple[Any, ...]]:
        return [
            (r.id, r.type, r.name, r.aliases, r.mentions, r.first, r.last, r.count)
            for r in self.rows.values()
        ]

    def write(self, folder: Path) -> None:
        """Write both files atomically (the summary last: it is read without the other)."""
        details = (
            self.key,
            self._summary_rows(),
            [r.articles for r in self.rows.values()],
            self.by_article,
            self.titles,
            self.dates,
        )
        write_atomic(folder / TABLE_FILE, _pack(details), durable=False)
        write_atomic(folder / SUMMARY_FILE, _pack((self.key, self._summary_rows())), durable=False)

    @classmethod
    def from_summary(cls, data: Any) -> EntityTable | None:
        try:
            key, summary = data[0], data[1]
            rows = {}
            for ident, kind, name, aliases, mentions, first, last, count in summary:
                rows[ident] = EntityRow(
                    ident, kind, name, aliases, [], mentions, first, last, count
                )
            return cls(str(key), rows, {}, {}, {})
        except (ValueError, TypeError, IndexError):
            return None

    @classmethod
    def from_details(cls, data: Any) -> EntityTable | None:
        table = cls.from_summary(data)
        try:
            if table is None or len(data) != 6 or len(data[2]) != len(table.rows):
                return None
            for row, articles in zip(table.rows.values(), data[2], strict=True):
                row.articles = list(articles)
            table.by_article, table.titles, table.dates = data[3], data[4], data[5]
        except (ValueError, TypeError, IndexError):
            return None
        return table


def _pack(data: Any) -> bytes:
    payload = marshal.dumps(data)
    return _MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def _unpack(path: Path) -> Any:
    """The data in a table file, or None for a missing, damaged or foreign one."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    start = len(_MAGIC) + 4
    if not raw.startswith(_MAGIC):
        return None
    payload = memoryview(raw)[start:]
    if zlib.crc32(payload) != int.from_bytes(raw[start - 4 : start], "big"):
        return None
    try:
        with collection_paused():  # tens of thousands of new containers
            return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def read_table(folder: Path, key: str, *, summary_only: bool = False) -> EntityTable | None:
    """The table in ``folder`` when it is there and made for ``key``.

    ``summary_only`` reads the small file: rows and counts, no articles.
    """
    data = _unpack(folder / (SUMMARY_FILE if summary_only else TABLE_FILE))
    if not isinstance(data, tuple) or not data or data[0] != key:
        return None
    return EntityTable.from_summary(data) if summary_only else EntityTable.from_details(data)


def write_table(folder: Path, table: EntityTable) -> None:
    table.write(folder)
