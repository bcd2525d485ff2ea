"""Find and load the articles of a corpus folder.

An article is a ``.md``, ``.markdown`` or ``.txt`` file, with or without YAML
front matter. Loading never stops at a bad file: each one becomes a
:class:`Problem` (path and reason) and the rest load.

The body an :class:`Article` holds is the text every other part works on: line
ends are LF, control characters are neutralised one for one
(:mod:`reader.textsafe`), and all character offsets (snippets, entity mentions,
highlights) point into it.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from reader import frontmatter
from reader.textsafe import neutralize, normalize_newlines, one_line

SUFFIXES = frozenset({".md", ".markdown", ".txt"})
_SUFFIX_ENDINGS = tuple(SUFFIXES)
#: Larger files are refused: nobody reads a 64 MB article, and it would stall indexing.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Length of a derived display title.
TITLE_CHARS = 80

_KNOWN_KEYS = ("title", "source", "author", "date", "url")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be loaded (``error``) or loaded with a caveat (``warning``)."""

    path: Path
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class SourceFile(NamedTuple):
    """A candidate article file found by :func:`scan`, with what identifies its version.

    A named tuple: a scan makes one per file at every start-up, and a tuple is the
    cheapest object to make.
    """

    id: str
    #: The file's absolute path as a string (a Path per file would slow large scans).
    location: str
    mtime_ns: int
    size: int

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def stamp(self) -> tuple[int, int]:
        return (self.mtime_ns, self.size)


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


def content_hash(body: str) -> str:
    """The hash highlights use to notice that an article's text changed."""
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


# -- finding files -----------------------------------------------------------------------------


_IGNORED_STARTS = (".", "#", "~")
_IGNORED_ENDS = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload")


def is_ignored_name(name: str) -> bool:
    """Hidden, editor-temporary and backup files are not articles."""
    return name.startswith(_IGNORED_STARTS) or name.endswith(_IGNORED_ENDS)


def scan(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every article file under ``root``, sorted by path, with stable ids.

    Symbolic links are followed once: a link loop is reported, not walked forever.
    Only article files and symbolic links cost a ``stat``: the kind of the other
    entries comes with the folder listing. This runs at every start-up, over every
    file of the corpus, so the loop is kept lean.
    """
    root = root.resolve()
    # Plain strings while walking: building a Path per file costs more than the stat.
    found: list[tuple[str, str, int, int]] = []
    problems: list[Problem] = []
    seen_dirs: set[tuple[int, int]] = set()

    def walk(folder: str, rel: str) -> None:
        try:
            info = os.stat(folder)
        except OSError as error:
            problems.append(Problem(Path(folder), _os_reason(error)))
            return
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            problems.append(Problem(Path(folder), "symbolic link loop; folder skipped", "warning"))
            return
        seen_dirs.add(key)
        folders: list[tuple[str, str]] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    name = entry.name
                    if name.startswith(_IGNORED_STARTS) or name.endswith(_IGNORED_ENDS):
                        continue
                    if entry.is_symlink():
                        _follow_link(entry, rel, found, folders, problems)
                    elif entry.is_dir(follow_symlinks=False):
                        _add_folder(entry, rel, folders, problems)
                    elif name.lower().endswith(_SUFFIX_ENDINGS) and entry.is_file(
                        follow_symlinks=False
                    ):
                        try:
                            st = entry.stat()
                        except OSError as error:  # removed since the listing
                            problems.append(Problem(Path(entry.path), _os_reason(error)))
                            continue
                        found.append((rel + name, entry.path, st.st_mtime_ns, st.st_size))
        except OSError as error:
            problems.append(Problem(Path(folder), _os_reason(error)))
            return
        for relname, path in sorted(folders):
            walk(path, relname)

    walk(str(root), "")
    found.sort(key=lambda item: item[0])
    files: list[SourceFile] = []
    taken: set[str] = set()
    for relname, path, mtime_ns, size in found:
        if not _is_utf8_name(relname):
            # Ids, the manifest and the index all need text: such a name cannot be stored.
            problems.append(Problem(_shown_path(path), _NOT_UTF8))
            continue
        article_id = relname.rsplit(".", 1)[0]
        if article_id in taken:  # "a.md" and "a.txt": the second keeps its suffix
            article_id = relname
        taken.add(article_id)
        files.append(SourceFile(article_id, path, mtime_ns, size))
    problems.sort(key=lambda problem: str(problem.path))
    return files, problems


_NOT_UTF8 = "the name is not valid UTF-8; rename it to read it"


def _follow_link(
    entry: os.DirEntry[str],
    rel: str,
    found: list[tuple[str, str, int, int]],
    folders: list[tuple[str, str]],
    problems: list[Problem],
) -> None:
    """Sort a symbolic link into ``found`` or ``folders``, or report it broken."""
    name = entry.name
    try:
        st = entry.stat(follow_symlinks=True)
    except OSError:
        problems.append(Problem(Path(entry.path), "broken symbolic link", "warning"))
        return
    if stat.S_ISDIR(st.st_mode):
        _add_folder(entry, rel, folders, problems)
    elif stat.S_ISREG(st.st_mode) and name.lower().endswith(_SUFFIX_ENDINGS):
        found.append((rel + name, entry.path, st.st_mtime_ns, st.st_size))


def _add_folder(
    entry: os.DirEntry[str],
    rel: str,
    folders: list[tuple[str, str]],
    problems: list[Problem],
) -> None:
    if _is_utf8_name(entry.name):
        folders.append((rel + entry.name + "/", entry.path))
    else:
        problems.append(Problem(_shown_path(entry.path), _NOT_UTF8))


def _shown_path(path: str) -> Path:
    """A path whose undecodable bytes are shown as U+FFFD, for a message."""
    return Path(path.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def _is_utf8_name(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (decoded by Python as lone surrogates)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- loading one file ----------------------------------------------------------------------


def load(source: SourceFile) -> Article:
    """Load one article file, or raise :class:`ArticleError` with the reason."""
    path = source.path
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ArticleError("the file disappeared before it could be read") from None
    except OSError as error:
        raise ArticleError(_os_reason(error)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ArticleError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    text, warnings = decode(data)
    text = normalize_newlines(text)
    try:
        meta, body, _ = frontmatter.split(text)
    except frontmatter.FrontMatterError as error:
        raise ArticleError(str(error)) from None
    body = neutralize(body.strip("\n"))
    if not body.strip() and not meta:
        raise ArticleError("the file is empty")
    fields, extra, meta_warnings = _read_metadata(meta or {})
    return Article(
        id=source.id,
        path=path,
        body=body + "\n" if body else "",
        meta=extra,
        content_hash=content_hash(body + "\n" if body else ""),
        warnings=tuple(warnings + meta_warnings),
        **fields,
    )


def load_path(path: Path, root: Path | None = None) -> Article:
    """Load a single file given by path (inside or outside a corpus)."""
    path = path.resolve()
    try:
        st = path.stat()
    except OSError as error:
        raise ArticleError(_os_reason(error)) from None
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


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "not found"
    return error.strerror or str(error)
