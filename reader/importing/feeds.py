"""Feeds and lists of feeds: RSS, Atom, JSON Feed, OPML and newsboat ``urls`` files.

feedparser reads RSS and Atom (it copes with the broken XML real feeds are made
of); JSON Feed is read here with the standard library, since feedparser's
released versions do not know it. An item is kept with its title, link, date,
author and, when the feed carries the whole article, its HTML content. OPML and
``urls`` files become lists of :class:`FeedRef`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any

#: Content shorter than this (in words) is a summary: the page is fetched.
FULL_CONTENT_WORDS = 80
#: A description (RSS's summary field) longer than this is the whole article.
FULL_DESCRIPTION_WORDS = 150


class FeedError(ValueError):
    """Something that is not a readable feed, OPML or urls file; the message says why."""


@dataclass(slots=True)
class FeedItem:
    """One item of a feed. ``content`` is HTML when the feed carries the whole article."""

    link: str | None
    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    content: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Feed:
    """A parsed feed: its name, its site and its items, newest first as published."""

    title: str | None
    link: str | None
    items: list[FeedItem]


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A feed to read, as an OPML outline or a line of a urls file names it."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()


# -- telling what a document is ----------------------------------------------------------------


def sniff(data: bytes, content_type: str = "") -> str:
    """``"jsonfeed"``, ``"opml"``, ``"feed"`` (RSS/Atom/RDF) or ``"html"``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b"jsonfeed.org" in data[:65536].lower():
        return "jsonfeed"
    if b"<opml" in head:
        return "opml"
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if content_type in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        return "jsonfeed" if content_type.endswith("json") else "feed"
    return "html"


# -- RSS and Atom --------------------------------------------------------------------------------


def parse_feed(data: bytes, base_url: str | None = None) -> Feed:
    """An RSS, Atom or JSON Feed document, or :class:`FeedError`."""
    if sniff(data) == "jsonfeed":
        return parse_json_feed(data)
    import feedparser

    # feedparser resolves relative links against the base; it never fetches anything
    # when given bytes, and it drops scripts and event handlers from HTML content.
    parsed = feedparser.parse(data, response_headers={"content-location": base_url or ""})
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a readable feed{': ' + str(reason)[:100] if reason else ''}")
    items = [_rss_item(entry) for entry in parsed.entries]
    return Feed(title=_text(parsed.feed.get("title")), link=parsed.feed.get("link"), items=items)


def _rss_item(entry: Any) -> FeedItem:
    content = None
    for block in entry.get("content") or []:
        value = block.get("value") or ""
        if value.strip() and (content is None or len(value) > len(content)):
            content = value
    summary = entry.get("summary")
    if content is None and summary and _words(summary) >= FULL_DESCRIPTION_WORDS:
        content = summary  # some feeds put the whole article in <description>
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    date = dt.date(*stamp[:3]) if stamp else None
    tags = [_text(t.get("term")) for t in entry.get("tags") or []]
    return FeedItem(
        link=entry.get("link"),
        title=_text(entry.get("title")),
        date=date,
        author=_text(entry.get("author")),
        content=content if content and _words(content) >= FULL_CONTENT_WORDS else None,
        summary=summary,
        tags=[t for t in tags if t],
    )


# -- JSON Feed -----------------------------------------------------------------------------------


def parse_json_feed(data: bytes) -> Feed:
    """A JSON Feed (https://jsonfeed.org, versions 1 and 1.1)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"not a readable JSON Feed: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedError("not a JSON Feed: no list of items")
    items = []
    for raw in document["items"]:
        if not isinstance(raw, dict):
            continue
        content = raw.get("content_html")
        if not isinstance(content, str) and isinstance(raw.get("content_text"), str):
            content = _text_to_html(raw["content_text"])
        authors = raw.get("authors") or ([raw["author"]] if raw.get("author") else [])
        names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
        date_value = raw.get("date_published") or raw.get("date_modified")
        tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
        items.append(
            FeedItem(
                link=_str(raw.get("url")) or _str(raw.get("external_url")),
                title=_text(raw.get("title")),
                date=_iso_date(date_value),
                author=", ".join(str(n) for n in names) or None,
                content=content
                if isinstance(content, str) and _words(content) >= FULL_CONTENT_WORDS
                else None,
                summary=_str(raw.get("summary")),
                tags=[t for t in (_text(x) for x in tags if isinstance(x, str)) if t],
            )
        )
    return Feed(
        title=_text(document.get("title")), link=_str(document.get("home_page_url")), items=items
    )


def _text_to_html(text: str) -> str:
    from html import escape

    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return (
        "<html><body><article>"
        + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + ("</article></body></html>")
    )


# -- OPML and urls files -------------------------------------------------------------------------


def parse_opml(data: bytes) -> list[FeedRef]:
    """The feeds of an OPML file (every outline with an ``xmlUrl``, nested or not)."""
    if b"<!doctype" in data[:2048].lower() or b"<!entity" in data.lower():
        # No DTDs: entity expansion is a way to blow up memory, and OPML needs none.
        raise FeedError("OPML with a DTD or entities is refused")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FeedError(f"not readable OPML: {error}") from None
    if root.tag.lower() != "opml":
        raise FeedError("not an OPML file")
    feeds: list[FeedRef] = []

    def walk(element, tags: tuple[str, ...]) -> None:
        for outline in element.findall("outline"):
            url = outline.get("xmlUrl") or outline.get("xmlurl")
            title = _text(outline.get("title") or outline.get("text"))
            if url:
                feeds.append(FeedRef(url=url.strip(), title=title, tags=tags))
            else:  # a folder of feeds: its name becomes a tag
                walk(outline, (*tags, title) if title else tags)

    body = root.find("body")
    if body is None:
        raise FeedError("OPML without a body")
    walk(body, ())
    return feeds


def parse_urls_file(text: str) -> list[FeedRef]:
    """A newsboat ``urls`` file: a URL per line, then optional tags (quoted if spaced).

    Comments (``#``) and blank lines are skipped; newsboat's own markers (a tag
    starting with ``~``, a title, or ``!``, hidden) are not tags. Lines that are
    not http(s) URLs (``query:``, ``exec:``, ``filter:``) are kept: the import
    reports them as failed, with the reason.
    """
    refs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        if not words:
            continue
        url, *rest = words
        title = next((w[1:] for w in rest if w.startswith("~")), None)
        tags = tuple(w for w in rest if w and not w.startswith(("~", "!")))
        refs.append(FeedRef(url=url, title=title or None, tags=tags))
    return refs


def looks_like_urls_file(text: str) -> bool:
    """True when every non-comment line starts with a URL (or a newsboat marker)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    pattern = re.compile(r'^"?(https?://|query:|exec:|filter:)\S', re.IGNORECASE)
    return bool(lines) and all(pattern.match(ln) for ln in lines)


# -- small helpers -------------------------------------------------------------------------------


def _words(html: str) -> int:
    return len(re.sub(r"<[^>]*>", " ", html).split())


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    from html import unescape

    text = " ".join(unescape(re.sub(r"<[^>]*>", " ", value)).split())
    return text or None


def _iso_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
