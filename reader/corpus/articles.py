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

import codecs
import contextlib
import datetime as dt
import hashlib
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.corpus import frontmatter
from reader.corpus.scanning import SUFFIXES, Problem, SourceFile, is_ignored_name, os_reason, scan
from reader.support.regular import NotRegularFile, TooLarge, read_regular
from reader.support.textsafe import neutralize, neutralize_utf8, normalize_newlines, one_line

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


class ArticleError(Exception):
    """An article file that cannot be loaded; the message is the reason."""


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


def load(source: SourceFile) -> Article:
    """Load one article file, or raise :class:`ArticleError` with the reason."""
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
    split = None
    if len(data) >= BIG_FILE_BYTES:
        holder = [data]  # the only reference: the split lets go of the file's bytes
        del data
        split = _split_big_utf8(holder)
        if split is None:
            (data,) = holder
        del holder
    if split is not None:
        (meta, body), split = split, None
        warnings: list[str] = []
    else:
        text, warnings = decode(data)
        del data
        text = normalize_newlines(text)
        try:
            meta, body, _ = frontmatter.split(text)
        except frontmatter.FrontMatterError as error:
            raise ArticleError(str(error)) from None
        del text
        body = neutralize(body.strip("\n"))  # the split body is neutralised already
    if (not body or body.isspace()) and not meta:
        raise ArticleError("the file is empty")
    if body and body[-1] != "\n":
        body += "\n"
    return article_of(source, meta, body, content_hash(body), warnings)


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


#: A file this big or bigger is split before it is decoded (see :func:`_split_big_utf8`).
BIG_FILE_BYTES = 1 << 20
#: Bytes decoded at a time to check that a big file is UTF-8.
_CHECK_BYTES = 1 << 20


def _split_big_utf8(holder: list[bytes]) -> tuple[dict[str, Any] | None, str] | None:
    """``(metadata, body)`` of the UTF-8 file whose bytes are ``holder``'s only item,
    the body neutralised (:func:`neutralize`) before it is decoded.

    :func:`load` decoded the whole file, took the body out of it, stripped it and
    neutralised it: two copies of a 20 MB body at each step, up to four bytes a
    character each. Here the front matter is read from the file's first bytes, the
    body's bytes (stripped of line ends at each end but its last) are neutralised,
    the file's bytes let go of (``holder`` is emptied), and only then is the body
    decoded. None, with ``holder`` as it was, when the file is not plainly UTF-8 (a
    mark, CR line ends, bytes that are not UTF-8) or its front matter is not whole
    in its head: :func:`load` then reads it as before, with the same result or error.
    """
    data = holder[0]
    if _looks_binary(data) or b"\r" in data or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    view = memoryview(data)
    try:
        checker = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(data), _CHECK_BYTES):
            checker.decode(view[start : start + _CHECK_BYTES])
        checker.decode(b"", final=True)
        head = codecs.getincrementaldecoder("utf-8")().decode(
            view[: 4 * frontmatter.MAX_FRONT_MATTER_CHARS + 16]
        )
        meta, head_body, _ = frontmatter.split(head)
    except (UnicodeDecodeError, frontmatter.FrontMatterError):
        return None
    body_start = len(head) - len(head_body)
    if meta is not None and head[body_start - 1 : body_start] != "\n":
        return None  # the closing line may go on past the head
    start = len(head[:body_start].encode("utf-8"))
    del head, head_body
    end = len(data)
    while end > start and data[end - 1] == 0x0A:
        end -= 1
    while start < end and data[start] == 0x0A:
        start += 1
    if start < end < len(data):
        end += 1  # keep one line end
    clean = neutralize_utf8(view[start:end])
    del view
    if isinstance(clean, bytes):  # a neutralised copy: the file's bytes can go first
        holder.clear()
        del data
    body = str(clean, "utf-8")
    holder.clear()
    return meta, body


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


# -- decoding ------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode an article file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a
    BOM, else Windows-1252/Latin-1 with a warning. Binary files are refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError as error:
                raise ArticleError(
                    f"starts with a {encoding} mark but is not {encoding}: {error.reason}"
                ) from None
    if _looks_binary(data):
        raise ArticleError("binary file, not text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ["not UTF-8; decoded as Windows-1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), ["not UTF-8; decoded as Latin-1"]


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        # Text with a stray NUL is still text; mostly-NUL or many controls is not.
        nuls = sample.count(b"\x00")
        if nuls > len(sample) // 100 + 1:
            return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) // 10


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
