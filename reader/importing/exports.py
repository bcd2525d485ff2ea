"""Exports of read-later services: Pocket (CSV), wallabag (JSON), Omnivore (zip).

Each becomes a list of :class:`~reader.importing.feeds.FeedItem`: link, title,
date, tags and, when the export carries the saved page, its HTML (wallabag and
Omnivore do; Pocket's CSV has links only, so the pages are fetched).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import PurePosixPath
from typing import Any

from reader.importing.feeds import FeedItem

#: No export is this large; a bigger member is refused rather than unpacked.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_CSV_BYTES = 200 * 1024 * 1024


class ExportError(ValueError):
    """A file that is not a readable export; the message says why."""


def kind_of(name: str, head: bytes) -> str | None:
    """``"pocket"``, ``"wallabag"``, ``"omnivore"`` or None, from a file's name and start."""
    lower = name.lower()
    if lower.endswith(".zip") or head.startswith(b"PK\x03\x04"):
        return "omnivore"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if lower.endswith(".csv") and text.lower().startswith((b"title,url", b'"title","url"')):
        return "pocket"
    if lower.endswith(".csv") and b"url" in text.split(b"\n", 1)[0].lower():
        return "pocket"
    if text.startswith(b"[") and b'"url"' in head and (b'"content"' in head or b'"title"' in head):
        return "wallabag"
    return None


# -- Pocket --------------------------------------------------------------------------------------


def read_pocket(data: bytes) -> list[FeedItem]:
    """Pocket's ``part_000000.csv``: title, url, time_added, tags (``a|b``), status."""
    if len(data) > MAX_CSV_BYTES:
        raise ExportError("the CSV file is too large")
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "url" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ExportError("not a Pocket export: no url column")
    items = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("url"):
            continue
        tags = [t.strip() for t in row.get("tags", "").split("|") if t.strip()]
        items.append(
            FeedItem(
                link=row["url"],
                title=row.get("title") or None,
                date=_timestamp(row.get("time_added")),
                tags=tags,
            )
        )
    return items


# -- wallabag ------------------------------------------------------------------------------------


def read_wallabag(data: bytes) -> list[FeedItem]:
    """wallabag's JSON export: a list of entries with url, title, content (HTML), tags."""
    try:
        entries = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"not a readable wallabag export: {error}") from None
    if not isinstance(entries, list):
        raise ExportError("not a wallabag export: not a list of entries")
    items = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            continue
        authors = entry.get("published_by")
        author = (
            ", ".join(a for a in authors if isinstance(a, str))
            if isinstance(authors, list)
            else None
        )
        items.append(
            FeedItem(
                link=entry["url"],
                title=_s(entry.get("title")),
                date=_iso(entry.get("published_at")) or _iso(entry.get("created_at")),
                author=author or None,
                content=_s(entry.get("content")),
                tags=_tags(entry.get("tags")),
            )
        )
    return items


# -- Omnivore ------------------------------------------------------------------------------------


def read_omnivore(data: bytes) -> list[FeedItem]:
    """Omnivore's export zip: ``metadata_*.json`` lists, ``content/<slug>.html`` pages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExportError("not a readable zip file") from None
    with archive:
        members = {PurePosixPath(i.filename): i for i in archive.infolist() if not i.is_dir()}
        metadata = [p for p in members if p.name.startswith("metadata") and p.suffix == ".json"]
        if not metadata:
            raise ExportError("not an Omnivore export: no metadata_*.json inside")
        pages = {p.stem: p for p in members if p.suffix == ".html" and "content" in p.parts}
        items = []
        for path in sorted(metadata):
            try:
                entries = json.loads(_member(archive, members[path]).decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise ExportError(f"{path}: not readable JSON: {error}") from None
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                    continue
                slug = entry.get("slug")
                content = None
                if isinstance(slug, str) and slug in pages:
                    content = _member(archive, members[pages[slug]]).decode(
                        "utf-8", errors="replace"
                    )
                items.append(
                    FeedItem(
                        link=entry["url"],
                        title=_s(entry.get("title")),
                        date=_iso(entry.get("publishedAt")) or _iso(entry.get("savedAt")),
                        author=_s(entry.get("author")),
                        content=content,
                        tags=_tags(entry.get("labels")),
                    )
                )
        return items


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise ExportError(f"{info.filename}: too large")
    with archive.open(info) as handle:  # read by name only: nothing is unpacked to disk
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ExportError(f"{info.filename}: too large")
    return data


# -- small helpers -------------------------------------------------------------------------------


def _s(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _tags(value: Any) -> list[str]:
    tags = []
    for tag in value if isinstance(value, list) else []:
        if isinstance(tag, dict):
            tag = tag.get("label") or tag.get("name") or tag.get("slug")
        if isinstance(tag, str) and tag.strip():
            tags.append(" ".join(tag.split()))
    return tags


def _iso(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _timestamp(value: str | None) -> dt.date | None:
    if not value or not value.strip().isdigit():
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
