"""What an update or rebuild of the index did: :class:`UpdateReport`, and the
progress and cancel callbacks that :class:`~reader.index.corpus_index.CorpusIndex`
and :mod:`reader.index.index_writing` take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.articles import Problem
from reader.support.wording import counted

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(slots=True)
class UpdateReport:
    """What an update or rebuild did.

    ``problems`` are the files that could not be read (or read with a caveat).
    Those remembered from earlier updates (unchanged broken files) are kept as
    plain pairs in ``remembered`` and become :class:`Problem` objects only when
    ``problems`` is read: a folder of 100,000 broken files must not cost every
    search 100,000 objects it only counts (:meth:`counts`).
    """

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)
    total: int = 0
    rebuilt: bool = False
    reason: str = ""
    seconds: float = 0.0
    cancelled: bool = False
    #: (location, reason) of unchanged files that failed to load before.
    remembered: list[tuple[str, str]] = field(default_factory=list)
    _problems: list[Problem] | None = None

    @property
    def problems(self) -> list[Problem]:
        """Every problem: those found by this update, then the remembered ones."""
        if self._problems is None:
            remembered = (Problem(Path(at), why) for at, why in self.remembered)
            self._problems = [*self.found, *remembered]
        return self._problems

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) among the problems, without making them."""
        errors = sum(1 for p in self.found if p.severity == "error") + len(self.remembered)
        return errors, len(self.found) + len(self.remembered) - errors

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def summary(self) -> str:
        verb = "rebuilt" if self.rebuilt else "updated"
        articles = counted(self.total, "article")
        if not self.touched and not self.rebuilt:
            text = f"index up to date: {articles}"
        else:
            text = (
                f"index {verb}: {len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed; {articles}"
            )
        errors, _ = self.counts()
        if errors:
            text += f"; {errors} file{'s' if errors != 1 else ''} skipped"
        if self.reason:
            text += f" ({self.reason})"
        return text
