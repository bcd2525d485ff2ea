"""Load the articles of a corpus folder (:mod:`reader.corpus.scanning` finds them).

An article is a ``.md``, ``.markdown`` or ``.txt`` file, with or without YAML
front matter. Loading never stops at a bad file: each one becomes a
:class:`Problem` (path and reason) and the rest load. The names of
:mod:`reader.corpus.scanning` are available here too.

The body an :class:`Article` holds is the text every other part works on: line
ends are LF, control characters are neutralised one for one
(:mod:`reader.support.textsafe`), and all character offsets (snippets, entity mentions,
highlights) point into it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.corpus import frontmatter, streaming
from reader.corpus.decoding import ArticleError, decode
from reader.corpus.scanning import SUFFIXES, Problem, SourceFile, is_ignored_name, os_reason, scan
from reader.support.regular import NotRegularFile, TooLarge, read_regular
from reader.support.textsafe import neutralize, normalize_newlines, one_line

__all__ = [
    "SUFFIXES",
    "Article",
    "ArticleError",
    "Problem",
    "SourceFile",
    "is_ignored_name",
    "load",
    "load_corpus",
    "load_path",
    "scan",
]

#: Larger files are refused: nobody reads a 64 MB article, and it would stall indexing.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Length of a derived display title.
TITLE_CHARS = 80

_KNOWN_KEYS = ("title", "source", "author", "date", "url")


@dataclass(frozen=True, slots=True)
class Article:
    """One loaded article. ``body`` is safe to display and is what offsets point into."""

    id: str
    path: Path
    body: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    date: dt.date | None = None
    url: str | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
    content_hash: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def display_title(self) -> str:
        """The title, or one derived from the lead when the article has none."""
        return self.title or derive_title(self.body) or self.path.stem


def derive_title(body: str) -> str:
    """A short display title from the first line of ``body`` (never invented)."""
    for line in body.split("\n"):
        line = " ".join(line.split())
        if line:
            break
    else:
        return ""
    if len(line) <= TITLE_CHARS:
        return line
    cut = line.rfind(" ", 0, TITLE_CHARS - 1)
    return line[: cut if cut > TITLE_CHARS // 2 else TITLE_CHARS - 1].rstrip(" ,;:") + "…"


#: ``content_hash`` encodes this many characters at a time (not a whole 20 MB body at once).
_HASH_CHUNK = 1 << 20


def content_hash(body: str) -> str:
    """The hash highlights use to notice that an article's text changed:
    ``sha256(body.encode("utf-8"))``, encoded a megabyte at a time."""
    digest = hashlib.sha256()
    for start in range(0, len(body), _HASH_CHUNK):
        digest.update(body[start : start + _HASH_CHUNK].encode("utf-8"))
    return "sha256:" + digest.hexdigest()


# -- loading one file ----------------------------------------------------------------------


def load(source: SourceFile, *, whole: bool = False) -> Article:
    """Load one article file, or raise :class:`ArticleError` with the reason.

    A file of :data:`~reader.corpus.streaming.STREAM_BYTES` or more is read a block
    at a time (:func:`_load_streamed`) unless ``whole`` (the caller found that it
    cannot be), for the same article or error.
    """
    if source.size >= streaming.STREAM_BYTES and not whole:
        with contextlib.suppress(streaming.NotStreamable):
            return _load_streamed(source)
    path = source.path
    try:
        # Only a regular file, checked on the opened descriptor: a name the scan saw
        # as a file may be a FIFO by now, and opening a FIFO blocks for ever.
        data = read_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ArticleError("the file disappeared before it could be read") from None
    except NotRegularFile as error:
        raise ArticleError(error.strerror) from None
    except TooLarge:
        raise ArticleError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB") from None
    except OSError as error:
        raise ArticleError(os_reason(error)) from None
    # Each step lets go of what it no longer needs (``del``): a 20 MB file held
    # every copy at once (bytes, text, body, stripped, with its newline, encoded
    # for the hash), 170 MB before indexing it began.
    text, warnings = decode(data)
    del data
    text = normalize_newlines(text)
    try:
        meta, body, _ = frontmatter.split(text)
    except frontmatter.FrontMatterError as error:
        raise ArticleError(str(error)) from None
    del text
    body = neutralize(body.strip("\n"))
    if (not body or body.isspace()) and not meta:
        raise ArticleError("the file is empty")
    if body:
        body += "\n"
    return article_of(source, meta, body, content_hash(body), warnings)


#: Characters of a big file's body read at a time by :func:`_load_streamed`.
_LOAD_WINDOW_CHARS = 1 << 16


def _load_streamed(source: SourceFile) -> Article:
    """:func:`load` of a big UTF-8 file, read a block at a time: only its body's
    UTF-8, then the body, are held, never the file's bytes, its text and its body
    at once (up to four bytes a character each). Raises ``NotStreamable`` for a
    file to read whole."""
    streamed = streaming.StreamedFile(source, MAX_FILE_BYTES)
    utf8 = bytearray()
    for _start, text in streamed.windows(_LOAD_WINDOW_CHARS, keep=False):
        utf8 += text.encode("utf-8")
    body = utf8.decode("utf-8")
    del utf8
    return article_of(source, streamed.meta, body, streamed.content_hash)


def article_of(
    source: SourceFile,
    meta: dict[str, Any] | None,
    body: str,
    body_hash: str,
    warnings: list[str] | None = None,
) -> Article:
    """The article of ``source`` with its front matter ``meta`` read and judged
    (warnings for the values it cannot use), its body and the body's hash."""
    fields, extra, meta_warnings = _read_metadata(meta or {})
    return Article(
        id=source.id,
        path=source.path,
        body=body,
        meta=extra,
        content_hash=body_hash,
        warnings=tuple((warnings or []) + meta_warnings),
        **fields,
    )


def load_path(path: Path, root: Path | None = None) -> Article:
    """Load a single file given by path (inside or outside a corpus)."""
    path = path.resolve()
    try:
        st = path.stat()
    except OSError as error:
        raise ArticleError(os_reason(error)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ArticleError("not a regular file")
    article_id = path.stem
    if root is not None:
        with contextlib.suppress(ValueError):
            article_id = path.relative_to(root.resolve()).as_posix().rsplit(".", 1)[0]
    return load(SourceFile(article_id, str(path), st.st_mtime_ns, st.st_size))


def load_corpus(root: Path) -> tuple[list[Article], list[Problem]]:
    """Load every article under ``root``; bad files become problems."""
    files, problems = scan(root)
    articles: list[Article] = []
    for source in files:
        try:
            article = load(source)
        except ArticleError as error:
            problems.append(Problem(source.path, str(error)))
            continue
        articles.append(article)
        problems.extend(Problem(source.path, w, "warning") for w in article.warnings)
    return articles, problems


def iter_articles(root: Path) -> Iterator[Article]:
    """Articles under ``root`` one at a time, skipping files that cannot be loaded."""
    files, _ = scan(root)
    for source in files:
        try:
            yield load(source)
        except ArticleError:
            continue


# -- metadata ------------------------------------------------------------------------------------


def _read_metadata(meta: dict[Any, Any]) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    fields: dict[str, Any] = {}
    extra: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in meta.items():
        name = one_line(str(key)).lower()
        if name == "date":
            date = parse_date(value)
            if date is None and value not in (None, ""):
                warnings.append(
                    f"date {one_line(str(value))[:40]!r} is not an ISO 8601 date; ignored"
                )
            fields["date"] = date
        elif name in _KNOWN_KEYS:
            text = _scalar_text(value)
            if text is None:
                warnings.append(f"{name} is a {type(value).__name__}, not text; ignored")
            else:
                fields[name] = text or None
        else:
            text = _scalar_text(value)
            if text is not None and text:
                extra[name] = text
    return fields, extra, warnings


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool | dt.date):
        return one_line(str(value))
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return one_line(", ".join(str(v) for v in value))
    return None


_DATE_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_date(value: Any) -> dt.date | None:
    """An ISO 8601 date (or date-time) from front matter, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE_PREFIX.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None
