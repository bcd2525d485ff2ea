"""What every command shares: the one-line error, and opening the index.

Command modules (:mod:`reader.cli.main`, :mod:`reader.cli.entities`,
:mod:`reader.cli.highlights`) import from here; this module imports none of them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

EXIT_ERROR = 2


class CliError(Exception):
    """A failure the user can act on; the message is printed as one line."""


# -- opening the index -------------------------------------------------------------------------


def check_corpus(corpus: Path) -> None:
    """Raise CliError unless ``corpus`` is a folder, saying what it is instead."""
    if corpus.is_dir():
        return
    if corpus.exists():
        raise CliError(f"the corpus must be a folder of articles, and {corpus} is a file")
    raise CliError(f"corpus folder not found: {corpus}")


def open_index(
    corpus: Path,
    *,
    rebuild: bool = False,
    quiet: bool = False,
    list_problems: bool = False,
    entity_table: bool = False,
):
    """Open the corpus index and bring it up to date, reporting on stderr.

    Files that could not be read are listed one a line with ``list_problems``
    (``reader index``); any other command says how many in one line, however
    many there are (a folder of 100,000 broken files printed 100,000 lines at
    every search). ``entity_table``: also bring the corpus-wide entity table up
    to date after a change (``reader index`` does; other commands leave it to
    whoever reads it).
    """
    check_corpus(corpus)
    from reader.index.prescan import Prescan

    # The folder is scanned on another core while the index's modules are imported.
    prescan = None if rebuild else Prescan.start(corpus)
    try:
        from reader.index.corpus_index import CorpusIndex, IndexUnusable

        index = CorpusIndex(corpus)
        progress = _stderr_progress() if not quiet else None
        try:
            if rebuild:
                report = index.rebuild(progress=progress)
            else:
                index.open()
                scanned = None
                if prescan is not None:
                    if prescan.changed():  # read while the child works out the changes
                        index.read_manifest()
                    scanned = prescan.result()
                report = index.update(progress=progress, scanned=scanned, entity_table=entity_table)
        except IndexUnusable as error:
            raise CliError(str(error)) from None
        except OSError as error:
            raise CliError(
                f"cannot write the index in {index.root}: {error.strerror or error}"
            ) from None
    finally:
        if prescan is not None:
            prescan.close()
    _clear_progress(progress)
    if index.notice:
        print(f"reader: {index.notice}", file=sys.stderr)
    if quiet:
        pass
    elif list_problems:
        print_problems(report.problems)
    else:
        print_problem_count(*report.counts())
    return index, report


def rebuilding_when_damaged(index: Any, action: Callable[[], T]) -> T:
    """Run ``action`` (which reads ``index``); when reading finds the index damaged,
    rebuild it from the articles, saying so, and run it once more."""
    from reader.index.schema import IndexDamaged, IndexUnusable

    try:
        return action()
    except IndexDamaged as error:
        index.mark_damaged(error)  # if the rebuild is interrupted, the next start does it
        print(f"reader: {error}; rebuilding it from the articles", file=sys.stderr)
        try:
            index.rebuild(reason=str(error))
        except IndexUnusable as failure:
            raise CliError(f"{error}; {failure}") from None
        except OSError as failure:
            raise CliError(
                f"{error}; cannot rebuild it in {index.root}: {failure.strerror or failure}"
            ) from None
    try:
        return action()
    except IndexDamaged as error:
        raise CliError(f"{error} even after a rebuild; remove {index.root} and try again") from None


def print_problems(problems) -> None:
    """Each problem on a line of its own on stderr, path and reason made safe to print."""
    from reader.support.textsafe import one_line

    lines = []
    for problem in problems:
        label = "skipped" if problem.severity == "error" else "warning:"
        lines.append(f"reader: {label} {shown_path(problem.path)}: {one_line(problem.reason)}\n")
    sys.stderr.write("".join(lines))


def print_problem_count(errors: int, warnings: int) -> None:
    """One line on stderr: how many files were skipped or read with a warning."""
    parts = []
    if errors:
        parts.append(f"{errors:,} file{'s' if errors != 1 else ''} skipped")
    if warnings:
        parts.append(f"{warnings:,} warning{'s' if warnings != 1 else ''}")
    if parts:
        print(f"reader: {', '.join(parts)} ('reader index' lists them)", file=sys.stderr)


def shown_path(path: Path) -> str:
    from reader.support.textsafe import one_line

    return one_line(str(path))


def _stderr_progress():
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total >= 100:
            print(f"\rindexing {done}/{total} articles…", end="", file=sys.stderr, flush=True)

    return show


def _clear_progress(progress: Any) -> None:
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
