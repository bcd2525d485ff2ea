"""The corpus-wide entity table: one row per entity id, precomputed at index time.

Built from the entities the index stores with each article (recognition ran when
it was indexed), with ids from :mod:`reader.entities.identity`. It answers
``reader entities --all`` and ``reader entity ID`` and gives the app its corpus
counts without reading the index again: a JSON file in the live index folder
(:data:`TABLE_FILE`), written atomically, keyed to the index's state (its
generation, table of contents and versions). A missing, damaged or stale file is
rebuilt on the next read; :meth:`CorpusIndex.update` and ``rebuild`` refresh it
after they change the index.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.entities.identity import SurnameLinks, entity_id
from reader.support.atomic import write_atomic

TABLE_FILE = "entity-table.json"
_FORMAT = 1
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

    def summary(self) -> dict[str, Any]:
        """The row as ``reader entities --all --json`` prints it."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": self.aliases,
            "articles": len(self.articles),
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
                forms.update(str(m.get("text", "")) for m in mentions)
                if name != canonical:
                    forms[name] += 1
                if record.date:
                    row.first = min(row.first or record.date, record.date)
                    row.last = max(row.last or record.date, record.date)
            by_article[record.article_id] = local
        for ident, row in rows.items():
            forms = [f for f, _n in spellings[ident].most_common() if f and f != row.name]
            row.aliases = forms[:MAX_ALIASES]
        titles = {r.article_id: r.title for r in records}
        dates = {r.article_id: r.date for r in records}
        return cls(key, rows, by_article, titles, dates)

    # -- reading ----------------------------------------------------------------------------

    def ranked(self, kind: str | None = None) -> list[EntityRow]:
        """Rows of one type (or all), most articles first, then most mentions, then name."""
        rows = [r for r in self.rows.values() if kind is None or r.type == kind]
        rows.sort(key=lambda r: (-len(r.articles), -r.mentions, r.name.lower(), r.id))
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
        found.sort(key=lambda pair: (-pair[1], -len(pair[0].articles), pair[0].name.lower()))
        return found

    # -- the file ---------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": _FORMAT,
                "key": self.key,
                "rows": [
                    [r.id, r.type, r.name, r.aliases, r.articles, r.mentions, r.first, r.last]
                    for r in self.rows.values()
                ],
                "articles": self.by_article,
                "titles": self.titles,
                "dates": self.dates,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> EntityTable | None:
        """The table in ``text``, or None for a file of another format or a damaged one."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != _FORMAT:
                return None
            rows = {item[0]: EntityRow(*item) for item in data["rows"]}
            return cls(str(data["key"]), rows, data["articles"], data["titles"], data["dates"])
        except (ValueError, TypeError, KeyError, IndexError):
            return None


def read_table(folder: Path, key: str) -> EntityTable | None:
    """The table in ``folder`` when it is there and made for ``key``."""
    try:
        text = (folder / TABLE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    table = EntityTable.from_json(text)
    return table if table is not None and table.key == key else None


def write_table(folder: Path, table: EntityTable) -> None:
    write_atomic(folder / TABLE_FILE, table.to_json().encode("utf-8"))
