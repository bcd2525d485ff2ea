"""The corpus's agreements, kept beside the index so that listing them is a file read.

``agreements.json`` in the index's folder holds every article's agreement
records, already merged into groups, under the index's version (its
generation and segments). :func:`refresh` (re)writes it from the index's stored
entities when the version differs (``reader index`` does so after every update);
:func:`load` reads it, refreshing first when it is missing or stale. The user's
corrections are applied at every read, so they win at once and survive any
re-index.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from reader.agreements import corrections as corrections_mod
from reader.agreements.records import (
    AgreementRecord,
    Member,
    build_record,
    members_of,
    merge,
)
from reader.index.documents import load_entities
from reader.support.atomic import write_atomic

FILE_NAME = "agreements.json"
FORMAT = 1


def index_version(index: Any) -> str:
    """Changes whenever the index does: its generation and the ids of its segments."""
    ix = index.ix
    segments = ",".join(sorted(segment.segment_id() for segment in ix._segments()))
    return f"{ix.latest_generation()}:{segments}"


def cache_path(index: Any) -> Path:
    return Path(index.root) / FILE_NAME


def _articles(index: Any) -> list[dict[str, Any]]:
    from reader.index.stored import without_body  # imports Whoosh: only when refreshing

    out = []
    with index.searcher() as searcher:
        # Without the body: a huge article's would cost several times its size.
        for stored in without_body(searcher):
            raw = stored.pop("entities", None)
            # Text to parse, or a big article's entities already read (LoadedEntities).
            if not raw or (isinstance(raw, str) and '"agreement"' not in raw):
                continue
            try:
                entities = load_entities(raw, whole_mentions=("agreement",))
            except ValueError:
                continue
            del raw
            agreements = [
                e for e in entities if isinstance(e, dict) and e.get("type") == "agreement"
            ]
            if not agreements:
                continue
            date = stored.get("date")
            out.append(
                {
                    "id": stored.get("id", ""),
                    "title": stored.get("title") or "",
                    "date": date.date().isoformat() if date is not None else None,
                    "agreements": agreements,
                }
            )
    return out


def refresh(index: Any, *, force: bool = False) -> list[list[Member]]:
    """Merge the index's agreement records and write them beside it, unless up to date."""
    version = index_version(index)
    path = cache_path(index)
    if not force:
        cached = _read(path, version)
        if cached is not None:
            return cached
    groups = merge(members_of(_articles(index)))
    data = {
        "format": FORMAT,
        "version": version,
        "groups": [
            [[m.key, m.article_id, m.title, m.article_date, m.entity] for m in group]
            for group in groups
        ],
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # A cache, rebuilt when lost; in a read-only index folder it is just not kept.
    with contextlib.suppress(OSError):
        write_atomic(path, payload, durable=False)
    return groups


def _read(path: Path, version: str) -> list[list[Member]] | None:
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT or data.get("version") != version:
            return None
        return [[Member(*item) for item in group] for group in data["groups"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def load(index: Any, store: corrections_mod.Corrections | None = None) -> list[AgreementRecord]:
    """Every agreement of the corpus, the user's corrections applied, newest first."""
    groups = refresh(index)
    store = store or corrections_mod.Corrections()
    operations = store.operations()
    groups, fields = corrections_mod.apply(groups, operations)
    records = []
    for position, group in enumerate(groups):
        record = build_record(group)
        for name, value in fields.get(position, {}).items():
            setattr(record, name, value)
            record.corrected.append(name)
        records.append(record)
    records.sort(key=lambda r: (r.date or "", r.name.lower()), reverse=True)
    return records


def find(records: list[AgreementRecord], record_id: str) -> AgreementRecord:
    """The record with this id (or the only one it starts), else :class:`LookupError`."""
    wanted = record_id.strip().lower()
    exact = [r for r in records if r.id == wanted]
    if exact:
        return exact[0]
    prefixed = [r for r in records if r.id.startswith(wanted) or r.id[3:].startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if not prefixed:
        raise LookupError(f"no agreement {record_id!r} (see `reader agreements`)")
    raise LookupError(f"{record_id!r} could be any of {len(prefixed)} agreements")
