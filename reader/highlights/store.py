"""The highlights file: one JSON file, written atomically under a lock, repaired when damaged.

The store is one JSON file in the user's data folder (``highlights.json``)::

    {"format": "reader-highlights", "version": 2, "highlights": [{...}, ...]}

Each record is a :class:`~reader.highlights.model.Highlight` (the model, with which
corpus and article a highlight belongs to, is :mod:`reader.highlights.model`).
Version 1 stores had no ``corpus``; they are read as they are, and such a highlight
is saved as a corpus's once that corpus claims it (:meth:`HighlightStore.claim`,
:meth:`HighlightStore.reanchor`). Nothing is dropped.

Safety, in order of what can go wrong:

* **Half-written file**: every write goes to a temp file in the same folder,
  is fsynced, then renamed over the store; a reader sees the old file or the new
  one, never a mix.
* **Two app instances**: every change (add, update, delete, restore, re-anchor)
  takes an exclusive lock on ``highlights.json.lock``, re-reads the file *under
  the lock* and applies the one operation to that fresh copy. A change made by
  another process in the meantime is kept, never overwritten by a stale copy.
* **Damaged file**: it is kept aside with a timestamp
  (``highlights.damaged-20261123T101500Z.json``), the highlights that can still
  be read are kept, and :attr:`HighlightStore.notice` says what happened. The
  damaged file leaves its place only once the recovered copy is safely written
  there: when that fails (a full disk), the file stays as it was, the store is
  read-only and the notice says why, at every start, until the repair succeeds.
  A damaged copy with no store beside it (set aside, then the repair failed, by
  an older version) is recovered when the store is next read or changed, never
  replaced by an empty store.
* **Newer format** (a later version of reader wrote it): the store is opened
  read-only; changes raise :class:`StoreReadOnly` with a clear message and the
  file is left untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reader.highlights.anchoring import Anchor, make_anchor, reanchored
from reader.highlights.model import (
    Highlight,
    HighlightError,
    Placed,
    belongs,
    clean_note,
    clean_tags,
    new_id,
    place_highlight,
    utc_now,
)
from reader.support.atomic import write_atomic
from reader.support.locking import locked
from reader.support.textsafe import one_line

FORMAT_NAME = "reader-highlights"
#: Bump when the file layout changes; a store with a higher version is opened read-only.
#: 2: each highlight names its corpus. Version 1 files are read (see the module docstring).
SCHEMA_VERSION = 2
STORE_FILE = "highlights.json"
#: How long a change waits for another process holding the lock.
LOCK_TIMEOUT = 10.0
#: Shortest id prefix the command line accepts.
MIN_ID_PREFIX = 4


class HighlightNotFound(HighlightError, KeyError):
    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "highlight not found"


class StoreReadOnly(HighlightError):
    """The store was written by a newer version of reader and cannot be changed."""


class StoreBusy(HighlightError):
    """Another process held the store's lock for too long."""


# -- the file lock ------------------------------------------------------------------------------


def _locked(lock_path: Path, timeout: float | None = None):
    """An exclusive lock between processes (and between store objects in one process)."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout

    def busy() -> StoreBusy:
        return StoreBusy(
            f"another reader process has been changing the highlights for over "
            f"{timeout:.0f} s; try again"
        )

    return locked(lock_path, timeout, busy)


# -- the store ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Loaded:
    highlights: list[Highlight]
    #: Why the file cannot be trusted (damaged), else None.
    damage: str | None = None
    #: The version number of a file written by a newer reader, else None.
    newer: int | None = None


def _parse(raw: bytes | None) -> _Loaded:
    if raw is None:
        return _Loaded([])
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return _Loaded([], damage=f"not valid JSON ({type(error).__name__})")
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        return _Loaded([], damage="not a reader highlights file")
    version = data.get("version")
    if not isinstance(version, int):
        return _Loaded([], damage="no format version")
    records = data.get("highlights")
    if version > SCHEMA_VERSION:
        # Read what can be read, but never judge (or repair) a format we do not know.
        kept = []
        for record in records if isinstance(records, list) else []:
            with contextlib.suppress(ValueError):
                kept.append(Highlight.from_dict(record))
        return _Loaded(kept, newer=version)
    if not isinstance(records, list):
        return _Loaded([], damage="no list of highlights")
    kept, bad, seen = [], 0, set()
    for record in records:
        try:
            highlight = Highlight.from_dict(record)
        except ValueError:
            bad += 1
            continue
        if highlight.id in seen:
            bad += 1
            continue
        seen.add(highlight.id)
        kept.append(highlight)
    if bad:
        return _Loaded(kept, damage=f"{bad} unreadable highlight record{'s' if bad > 1 else ''}")
    return _Loaded(kept)


def _serialise(highlights: Sequence[Highlight]) -> bytes:
    data = {
        "format": FORMAT_NAME,
        "version": SCHEMA_VERSION,
        "highlights": [h.to_dict() for h in highlights],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def default_store_path() -> Path:
    from reader.support.locations import data_dir

    return data_dir() / STORE_FILE


class HighlightStore:
    """The user's highlights, safe to share between processes.

    Reads always see the latest file. Each change is a locked read-modify-write
    of the file. Methods raise :class:`HighlightError` subclasses for failures
    the user can act on, and OSError when the disk does.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_store_path()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        #: One line for the user when something about the store needs saying.
        self.notice: str | None = None
        self.read_only = False
        self._cache_key: tuple[int, int, int] | None = None
        self._cache: list[Highlight] = []
        #: Why a damaged file could not be repaired (it then stays as it was), else None.
        self._unsaved_repair: str | None = None

    # -- reading -------------------------------------------------------------------------------

    def all(self, corpus: str | None = None) -> list[Highlight]:
        """Every highlight, in the order they were made; given ``corpus``, those of
        that corpus and those that may be (from before highlights knew their corpus)."""
        if corpus is None:
            return list(self._current())
        return [h for h in self._current() if h.corpus in (corpus, "")]

    def for_article(self, article_id: str, corpus: str | None = None) -> list[Highlight]:
        """The highlights of one article, in reading order (``corpus`` as in :meth:`all`)."""
        found = [h for h in self.all(corpus) if h.article_id == article_id]
        return sorted(found, key=lambda h: (h.anchor.start, h.anchor.end))

    def get(self, highlight_id: str) -> Highlight | None:
        return next((h for h in self._current() if h.id == highlight_id), None)

    def find(self, id_or_prefix: str) -> Highlight:
        """The highlight with this id, or the only one whose id starts with it."""
        key = id_or_prefix.strip().lower()
        exact = self.get(key)
        if exact is not None:
            return exact
        if len(key) < MIN_ID_PREFIX:
            raise HighlightNotFound(f"no highlight {one_line(id_or_prefix)!r}")
        matches = [h for h in self._current() if h.id.startswith(key)]
        if not matches:
            raise HighlightNotFound(f"no highlight {one_line(id_or_prefix)!r}")
        if len(matches) > 1:
            raise HighlightNotFound(
                f"{one_line(id_or_prefix)!r} is the start of {len(matches)} highlight ids; "
                "give more of it"
            )
        return matches[0]

    def placed(
        self, article_id: str, body: str | None, content_hash: str, corpus: str | None = None
    ) -> list[Placed]:
        """The highlights of an article of ``corpus`` with where they are now (no write).

        Highlights from before highlights knew their corpus that are not of this
        article's text are left out (they are another corpus's).
        """
        found = []
        for highlight in self.for_article(article_id, corpus):
            placed = place_highlight(highlight, body, content_hash, corpus)
            if corpus is None or highlight.corpus or not placed.orphaned:
                found.append(placed)
        return found

    def _current(self) -> list[Highlight]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._cache_key, self._cache = None, []
            self._note_version(None)
            if self._unrecovered_copy() is not None:
                self._cache = self._repair().highlights
                self._note_version(None)
            return self._cache
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        if key == self._cache_key:
            return self._cache
        loaded = _parse(_read(self.path))
        if loaded.damage is not None:
            loaded = self._repair()
        else:
            self._unsaved_repair = None
        self._note_version(loaded.newer)
        self._cache = loaded.highlights
        with contextlib.suppress(OSError):
            st = self.path.stat()
            self._cache_key = (st.st_mtime_ns, st.st_size, st.st_ino)
        return self._cache

    def _note_version(self, newer: int | None) -> None:
        if newer is not None:
            self.read_only = True
            self.notice = (
                f"the highlights file {self.path} was written by a newer version of reader "
                f"(format {newer}; this version knows {SCHEMA_VERSION}): opened read-only"
            )
        elif self._unsaved_repair is not None:
            self.read_only = True
            self.notice = self._unsaved_repair
        elif self.read_only:
            self.read_only = False
            self.notice = None

    def _repair(self) -> _Loaded:
        """Under the lock: save what could be read of a damaged file, and keep the
        damaged file aside. On a failure to write, the file stays as it was and the
        store is read-only until a later repair succeeds."""
        with _locked(self.lock_path):
            loaded, raw, copy = self._read_for_change()
            if loaded.damage is None:
                self._unsaved_repair = None
                return loaded  # sound (another process repaired it meanwhile)
            try:
                aside = self._save_recovered(raw, copy, loaded.highlights)
            except OSError as error:
                count = _count(len(loaded.highlights))
                where = copy.name if copy is not None else self.path.name
                self._unsaved_repair = (
                    f"the highlights file is damaged ({loaded.damage}); {count} could be "
                    f"read from {where} but the repaired copy cannot be saved "
                    f"({error.strerror or error}); {where} is left as it was and the "
                    "highlights are read-only until it can be"
                )
                return _Loaded(loaded.highlights)
            self._unsaved_repair = None
            self.notice = self._recovered_notice(loaded, aside, copy)
            return _Loaded(loaded.highlights)

    def _read_for_change(self) -> tuple[_Loaded, bytes | None, Path | None]:
        """Under the lock: the store as parsed, its bytes, and, when there is no store
        but a damaged copy that was never recovered, that copy (parsed in its place)."""
        raw = _read(self.path)
        copy = self._unrecovered_copy() if raw is None else None
        if copy is not None:
            raw = _read(copy)
            loaded = _parse(raw)
            if loaded.damage is None:
                loaded.damage = "the store was missing"
            return loaded, raw, copy
        return _parse(raw), raw, None

    def _unrecovered_copy(self) -> Path | None:
        """The newest damaged copy when there is no store beside it: its repair failed
        (an older reader set it aside before writing the recovered copy)."""
        if self.path.exists():
            return None
        copies = sorted(self.path.parent.glob(f"{self.path.stem}.damaged-*{self.path.suffix}"))
        return copies[-1] if copies else None

    def _save_recovered(
        self, raw: bytes | None, copy: Path | None, highlights: Sequence[Highlight]
    ) -> Path:
        """Write ``highlights`` as the store and return where the damaged bytes are kept.

        The damaged file gets its second name (a hard link, or a copy) before the store
        is replaced, and loses it again when the store cannot be written: either the
        recovered store is in place and the damaged file aside, or nothing changed.
        """
        if copy is not None:  # the damaged file is aside already
            write_atomic(self.path, _serialise(highlights))
            return copy
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        aside = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        try:
            os.link(self.path, aside)
        except OSError:  # no hard links on this file system: a copy
            write_atomic(aside, raw or b"")
        try:
            write_atomic(self.path, _serialise(highlights))
        except BaseException:
            with contextlib.suppress(OSError):
                aside.unlink()
            raise
        return aside

    def _recovered_notice(self, loaded: _Loaded, aside: Path, copy: Path | None) -> str:
        count = _count(len(loaded.highlights))
        if copy is not None:
            return (
                f"the highlights file was missing; {count} recovered from {copy.name}, "
                "a damaged copy that had not been recovered (it is kept)"
            )
        return (
            f"the highlights file was damaged ({loaded.damage}); it was kept as "
            f"{aside.name} and {count} could be recovered from it"
        )

    # -- changing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[list[Highlight]]:
        """Lock, re-read the file, let the caller change the list, write it back."""
        with _locked(self.lock_path):
            self._cache_key = None  # whatever we had may be stale: read under the lock
            loaded, raw, copy = self._read_for_change()
            self._unsaved_repair = None  # this change saves the repair, or says why not
            self._note_version(loaded.newer)
            if self.read_only:
                raise StoreReadOnly(self.notice or "the highlights file is read-only")
            highlights = list(loaded.highlights)
            yield highlights
            if loaded.damage is None:
                write_atomic(self.path, _serialise(highlights))
            else:
                aside = self._save_recovered(raw, copy, highlights)
                self.notice = self._recovered_notice(loaded, aside, copy)
            self._cache = highlights
            with contextlib.suppress(OSError):
                st = self.path.stat()
                self._cache_key = (st.st_mtime_ns, st.st_size, st.st_ino)

    def add(
        self,
        article_id: str,
        anchor: Anchor,
        *,
        note: str | None = None,
        tags: Iterable[str] | None = None,
        created: dt.datetime | None = None,
        corpus: str = "",
    ) -> Highlight:
        """Save a new highlight of ``anchor`` in ``article_id`` of ``corpus``."""
        highlight = Highlight(
            id=new_id(),
            corpus=corpus,
            article_id=article_id,
            anchor=anchor,
            note=clean_note(note),
            tags=clean_tags(tags),
            created=(created or utc_now()).astimezone(dt.UTC).replace(microsecond=0),
        )
        with self._transaction() as highlights:
            highlights.append(highlight)
        return highlight

    def add_span(
        self,
        article_id: str,
        body: str,
        content_hash: str,
        start: int,
        end: int,
        *,
        note: str | None = None,
        tags: Iterable[str] | None = None,
        corpus: str = "",
    ) -> Highlight:
        """Highlight ``body[start:end]`` (what the app calls for a selection)."""
        anchor = make_anchor(body, start, end, content_hash)
        return self.add(article_id, anchor, note=note, tags=tags, corpus=corpus)

    def update(
        self,
        highlight_id: str,
        *,
        note: str | None = None,
        tags: Iterable[str] | None = None,
    ) -> Highlight:
        """Change the note and/or the tags (None leaves one as it is)."""
        with self._transaction() as highlights:
            i = _position(highlights, highlight_id)
            old = highlights[i]
            new = replace(
                old,
                note=old.note if note is None else clean_note(note),
                tags=old.tags if tags is None else clean_tags(tags),
                updated=utc_now(),
            )
            highlights[i] = new
        return new

    def delete(self, highlight_id: str) -> Highlight:
        """Remove a highlight and return it (give it to :meth:`restore` to undo)."""
        with self._transaction() as highlights:
            return highlights.pop(_position(highlights, highlight_id))

    def restore(self, highlight: Highlight) -> Highlight:
        """Put back a deleted highlight, same id and times (undo). No-op if present."""
        with self._transaction() as highlights:
            for existing in highlights:
                if existing.id == highlight.id:
                    return existing
            highlights.append(highlight)
        return highlight

    def reanchor(
        self, article_id: str, body: str | None, content_hash: str, corpus: str | None = None
    ) -> list[Placed]:
        """Place an article's highlights in its current text and save the ones that moved.

        Orphaned highlights keep their old anchor, so they come back if the passage does.
        Given ``corpus``, only that corpus's highlights move, and one from before
        highlights knew their corpus that is of this text is saved as this corpus's.
        """
        current = self.placed(article_id, body, content_hash, corpus)
        unclaimed = corpus is not None and any(not p.highlight.corpus for p in current)
        moved = any(p.status == "reanchored" for p in current)
        if body is None or not (moved or unclaimed) or self.read_only:
            return current
        result: dict[str, Placed] = {}
        with self._transaction() as highlights:
            for i, highlight in enumerate(highlights):
                if highlight.article_id != article_id:
                    continue
                if corpus is not None:
                    if not belongs(highlight, corpus, body, content_hash):
                        continue
                    if not highlight.corpus:
                        highlight = highlights[i] = replace(highlight, corpus=corpus)
                anchor, placement = reanchored(highlight.anchor, body, content_hash)
                if anchor != highlight.anchor:
                    highlight = highlights[i] = replace(highlight, anchor=anchor)
                result[highlight.id] = Placed(highlight, placement)
        return sorted(
            result.values(), key=lambda p: (p.highlight.anchor.start, p.highlight.anchor.end)
        )

    def claim(self, corpus: str, text_of: Callable[[str], tuple[str, str] | None]) -> int:
        """Save as ``corpus``'s the highlights from before highlights knew their corpus
        that are of its articles' text (:func:`belongs`); how many.

        ``text_of(article_id)`` gives an article's body and content hash, or None
        when the corpus has no such article. Writes only when there is one to claim.
        """

        def claimable(highlight: Highlight) -> bool:
            if highlight.corpus:
                return False
            text = text_of(highlight.article_id)
            return text is not None and belongs(highlight, corpus, *text)

        if self.read_only or not any(claimable(h) for h in self._current()):
            return 0
        claimed = 0
        with self._transaction() as highlights:
            for i, highlight in enumerate(highlights):
                if claimable(highlight):
                    highlights[i] = replace(highlight, corpus=corpus)
                    claimed += 1
        return claimed

    def import_highlights(self, incoming: Iterable[Highlight]) -> int:
        """Add highlights (e.g. read back from a JSON export) whose ids are new; the count."""
        added = 0
        with self._transaction() as highlights:
            known = {h.id for h in highlights}
            for highlight in incoming:
                if highlight.id not in known:
                    highlights.append(highlight)
                    known.add(highlight.id)
                    added += 1
        return added


def _count(n: int) -> str:
    return f"{n} highlight{'s' if n != 1 else ''}"


def _position(highlights: list[Highlight], highlight_id: str) -> int:
    for i, highlight in enumerate(highlights):
        if highlight.id == highlight_id:
            return i
    raise HighlightNotFound(f"no highlight {one_line(highlight_id)!r} (deleted meanwhile?)")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
