"""Exports of highlights and search-hit passages: Markdown, JSON, YAML, CSV, W3C.

The app and the command line both go through here::

    excerpts = collect(index, store, Scope(query="cybersecurity"))
    text = render(excerpts, "markdown", path_base=corpus)
    export_to_path(excerpts, Path("notes.md"), "markdown", overwrite=False)

:func:`collect` gathers (:mod:`reader.export.model`); each format module renders;
:func:`export_to_path` writes without ever leaving a half-written file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from reader.export.model import (
    ArticleExcerpts,
    ArticleInfo,
    Cancelled,
    Excerpt,
    ExcerptSet,
    ExportCancelled,
    ExportError,
    Mention,
    Scope,
    article_excerpts,
    check_cancelled,
    collect,
    collect_from,
    hit_excerpts,
)
from reader.export.structured import highlights_from_excerpts, read_excerpts
from reader.support.atomic import fsync_dir, tracked_temp

FORMATS = ("markdown", "json", "yaml", "csv", "w3c")
#: The file suffix each format gets by convention (the app's save dialog uses it).
SUFFIXES = {"markdown": ".md", "json": ".json", "yaml": ".yaml", "csv": ".csv", "w3c": ".jsonld"}

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ArticleExcerpts",
    "ArticleInfo",
    "DestinationExists",
    "Excerpt",
    "ExcerptSet",
    "ExportCancelled",
    "ExportError",
    "Mention",
    "Scope",
    "article_excerpts",
    "collect",
    "collect_from",
    "export_to_path",
    "format_for_path",
    "highlights_from_excerpts",
    "hit_excerpts",
    "inside",
    "read_excerpts",
    "refuse_inside_corpus",
    "render",
    "write_new_file",
]


class DestinationExists(ExportError, FileExistsError):
    """The destination file exists and overwriting was not allowed."""


def render(excerpts: ExcerptSet, fmt: str = "markdown", *, path_base: Path | None = None) -> str:
    """The export as text. ``path_base``: Markdown cites files relative to this folder."""
    if fmt == "markdown":
        from reader.export.markdown import render_markdown

        return render_markdown(excerpts, path_base=path_base)
    if fmt == "json":
        from reader.export.structured import render_json

        return render_json(excerpts)
    if fmt == "yaml":
        from reader.export.structured import render_yaml

        return render_yaml(excerpts)
    if fmt == "csv":
        from reader.export.csv_format import render_csv

        return render_csv(excerpts)
    if fmt == "w3c":
        from reader.export.w3c import render_w3c

        return render_w3c(excerpts)
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def format_for_path(path: Path, default: str = "markdown") -> str:
    """The format a file name asks for by its suffix (``notes.csv`` -> ``csv``)."""
    suffix = path.suffix.lower()
    for fmt, known in SUFFIXES.items():
        if suffix == known:
            return fmt
    return {".markdown": "markdown", ".yml": "yaml", ".txt": "markdown"}.get(suffix, default)


def export_to_path(
    excerpts: ExcerptSet,
    path: Path,
    fmt: str = "markdown",
    *,
    overwrite: bool = False,
    path_base: Path | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Render and write ``excerpts`` to ``path``; raises DestinationExists when the
    file exists and ``overwrite`` is False (asking the user is the app's job), and
    ExportCancelled, with nothing written, when ``cancelled()`` turned true.
    ``path_base`` is the corpus folder: an export is never written inside it."""
    if path_base is not None:
        refuse_inside_corpus(path, path_base)
    text = render(excerpts, fmt, path_base=path_base)
    return write_new_file(path, text, overwrite=overwrite, cancelled=cancelled)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies anywhere under it (links resolved)."""
    target = path.expanduser().resolve()
    root = folder.expanduser().resolve()
    return target == root or root in target.parents


def refuse_inside_corpus(path: Path, corpus: Path) -> None:
    """An export written into the corpus would be read as an article at the next start:
    raise ExportError for a ``path`` inside the ``corpus`` folder."""
    if inside(path, corpus):
        raise ExportError(
            f"{path} is inside the corpus folder, where it would be indexed as an article; "
            "save the export somewhere else"
        )


def write_new_file(
    path: Path, text: str, *, overwrite: bool = False, cancelled: Cancelled | None = None
) -> Path:
    """Write ``text`` to ``path`` through a temp file (fsync, rename).

    Without ``overwrite`` the final step is a hard link, which fails atomically if
    a file appeared at ``path`` meanwhile; so an existing file is never replaced.
    The temp file is written in the reader's cache folder when it is on the same
    file system as ``path`` (else beside ``path``), so a process killed half-way
    leaves nothing in the user's folder; the next start removes it either way.
    ``cancelled`` is asked last before the file appears: an export the user gave up
    on (or quit during) leaves nothing behind.
    """
    check_cancelled(cancelled)
    path = path.expanduser()
    if not overwrite and (path.exists() or path.is_symlink()):
        raise DestinationExists(f"{path} exists; overwrite it with --force")
    if path.is_symlink():
        # Replacing a link writes the file it points to (the link stays a link),
        # the way other tools write through one.
        try:
            path = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            raise ExportError(f"{path} is a symbolic link that leads nowhere") from None
        if path.exists() and not path.is_file():
            raise ExportError(f"{path} is not a regular file")
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"no such folder: {folder}")
    if path.is_dir():
        raise ExportError(f"{path} is a folder")
    try:
        with tracked_temp(path, _scratch_folder(folder)) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            check_cancelled(cancelled)
            if overwrite:
                os.replace(tmp, path)
            else:
                _link_new(tmp, path)
    except FileExistsError:
        raise DestinationExists(f"{path} exists; overwrite it with --force") from None
    except PermissionError:
        raise ExportError(f"permission denied: cannot write in {folder}") from None
    fsync_dir(folder)
    return path


def _scratch_folder(folder: Path) -> Path:
    """Where the temp file of a file in ``folder`` goes: the reader's own scratch
    folder when a rename from there into ``folder`` works (same file system)."""
    from reader.support.locations import cache_dir

    scratch = cache_dir() / "scratch"
    with contextlib.suppress(OSError):
        scratch.mkdir(parents=True, exist_ok=True)
        if scratch.stat().st_dev == folder.stat().st_dev:
            return scratch
    return folder


def _link_new(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: the existence check above has to do.
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
