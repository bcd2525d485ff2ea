"""Find the article files of a corpus folder: names, versions and the files that cannot be read.

Kept apart from loading (:mod:`reader.corpus.articles`) and light to import: a scan runs
at every start-up, in a child process started before the rest of the reader is
imported (:mod:`reader.index.prescan`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

SUFFIXES = frozenset({".md", ".markdown", ".txt"})
_SUFFIX_ENDINGS = tuple(SUFFIXES)


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


# -- finding files -----------------------------------------------------------------------------


#: "reader-export-": the name the app gives an export (older versions could save one
#: inside the corpus, which was then indexed as an article).
_IGNORED_STARTS = (".", "#", "~", "reader-export-")
_IGNORED_ENDS = ("~", ".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload")


def is_ignored_name(name: str) -> bool:
    """Hidden, editor-temporary and backup files, and the reader's own exports, are not
    articles."""
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
            problems.append(Problem(Path(folder), os_reason(error)))
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
                            problems.append(Problem(Path(entry.path), os_reason(error)))
                            continue
                        found.append((rel + name, entry.path, st.st_mtime_ns, st.st_size))
        except OSError as error:
            problems.append(Problem(Path(folder), os_reason(error)))
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


def os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "not found"
    return error.strerror or str(error)
