"""Writing imported articles into a corpus folder, each once.

An article becomes ``<date>-<title slug>.md`` at the top of the corpus folder,
with front matter (``title``, ``source``, ``author``, ``date``, ``url``,
``retrieved``, ``tags``) and its Markdown body, written atomically. Duplicates are
found two ways, against what the folder already holds and what this run wrote:
by canonical URL (scheme and host lower-cased, default port, fragment and
tracking parameters dropped) and by content fingerprint (the body's words, case
and punctuation aside). Same URL and same text: ``duplicate``; same URL, other
text: the file is ``updated`` in place, when an import wrote it (a file the user
wrote is never replaced); same text under another URL: ``duplicate``.
Nothing is written outside the corpus folder: names are made here, from letters
and digits only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reader.corpus.articles import iter_articles
from reader.support.atomic import write_atomic

SLUG_CHARS = 60
#: Query parameters that track the reader, never choose the article.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_hsenc|_hsmi|mkt_tok|"
    r"ref|ref_src|cmpid|ncid|at_medium|at_campaign|wt_mc|yclid|ocid|smid|__twitter_impression)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def canonical_url(url: str | None) -> str | None:
    """The form of ``url`` two links to one article share, or None if it is no URL."""
    if not url:
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING.match(k)
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    # http and https name the same article: the scheme is left out of the key.
    return urllib.parse.urlunsplit(("", host, path, urllib.parse.urlencode(sorted(query)), ""))


def fingerprint(body: str) -> str:
    """What two copies of one text share: its words, lower-cased, in order."""
    words = _WORD.findall(unicodedata.normalize("NFKC", body).casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]


def slug(title: str | None) -> str:
    """A file-name-safe form of ``title``: letters and digits joined by dashes."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[^\W_]+", text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > SLUG_CHARS:
            break
        out = f"{out}-{word}" if out else word
    return out or "article"


@dataclass(slots=True)
class NewArticle:
    """An article ready to be written: what the front matter and the body hold."""

    body: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    date: dt.date | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Written:
    """What happened to one article: ``added``, ``updated`` or ``duplicate``, and where."""

    status: str
    path: Path
    id: str


class CorpusWriter:
    """Adds articles to a corpus folder, knowing what it already holds.

    Safe to share between threads: one article is placed and written at a time.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._by_url: dict[str, Path] = {}
        self._by_print: dict[str, Path] = {}
        self._print_of: dict[Path, str] = {}
        self._tags_of: dict[Path, list[str]] = {}
        #: Files an import wrote (they have ``retrieved``): only those are ever updated.
        self._imported: set[Path] = set()
        self._lock = threading.Lock()
        self._read_folder()

    def _read_folder(self) -> None:
        if not self.root.is_dir():
            return
        for article in iter_articles(self.root):
            path = article.path.resolve()
            key = canonical_url(article.url)
            if key:
                self._by_url.setdefault(key, path)
            printed = fingerprint(article.body)
            self._by_print.setdefault(printed, path)
            self._print_of[path] = printed
            tags = article.meta.get("tags")
            self._tags_of[path] = [t.strip() for t in tags.split(",")] if tags else []
            if "retrieved" in article.meta:
                self._imported.add(path)

    def known_url(self, url: str | None) -> Path | None:
        """The file holding the article at ``url``, if the corpus has it."""
        key = canonical_url(url)
        with self._lock:
            return self._by_url.get(key) if key else None

    def add(self, article: NewArticle, *, urls: tuple[str | None, ...] = ()) -> Written:
        """Write ``article`` unless the corpus holds it; ``urls`` are other links to it."""
        keys = [k for k in (canonical_url(u) for u in (article.url, *urls)) if k]
        printed = fingerprint(article.body)
        with self._lock:
            existing = next((self._by_url[k] for k in keys if k in self._by_url), None)
            if existing is not None:
                if self._print_of.get(existing) == printed or existing not in self._imported:
                    # A file the user wrote is never replaced by an import.
                    return self._written("duplicate", existing)
                tags = _merge(self._tags_of.get(existing, []), article.tags)
                self._write(existing, article, tags)
                self._remember(existing, keys, printed, tags)
                return self._written("updated", existing)
            same_text = self._by_print.get(printed)
            if same_text is not None:
                for key in keys:  # the next import of this link knows it at once
                    self._by_url.setdefault(key, same_text)
                return self._written("duplicate", same_text)
            path = self._new_path(article)
            tags = _merge([], article.tags)
            self._write(path, article, tags)
            self._remember(path, keys, printed, tags)
            return self._written("added", path)

    # -- inside the lock ---------------------------------------------------------------------

    def _new_path(self, article: NewArticle) -> Path:
        stem = slug(article.title or article.body[:80])
        if article.date:
            stem = f"{article.date.isoformat()}-{stem}"
        path = self.root / f"{stem}.md"
        number = 2
        while path.exists() or path in self._print_of:
            path = self.root / f"{stem}-{number}.md"
            number += 1
        assert path.parent == self.root  # names are made of letters, digits and dashes
        return path

    def _write(self, path: Path, article: NewArticle, tags: list[str]) -> None:
        write_atomic(path, render(article, tags).encode("utf-8"))

    def _remember(self, path: Path, keys: list[str], printed: str, tags: list[str]) -> None:
        self._imported.add(path)
        old = self._print_of.get(path)
        if old and self._by_print.get(old) == path:
            del self._by_print[old]
        self._print_of[path] = printed
        self._by_print.setdefault(printed, path)
        self._tags_of[path] = tags
        for key in keys:
            self._by_url.setdefault(key, path)

    def _written(self, status: str, path: Path) -> Written:
        relative = path.relative_to(self.root)
        return Written(status, path, relative.with_suffix("").as_posix())


def render(article: NewArticle, tags: list[str]) -> str:
    """The file's text: YAML front matter (safe dump), a blank line, the body."""
    meta: dict[str, object] = {}
    for key in ("title", "source", "author"):
        value = getattr(article, key)
        if value:
            meta[key] = _one_line(value)
    if article.date:
        meta["date"] = article.date  # a YAML date, as hand-written articles have it
    if article.url:
        meta["url"] = _one_line(article.url)
    meta["retrieved"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    if tags:
        meta["tags"] = tags
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{article.body.strip()}\n"


def _merge(old: list[str], new: list[str]) -> list[str]:
    out: list[str] = []
    for tag in (*old, *new):
        tag = _one_line(tag).replace(",", " ").strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def _one_line(text: str) -> str:
    from reader.support.textsafe import one_line

    return one_line(text)
