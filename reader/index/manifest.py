"""What an index remembers of each article file, and a quick way to see that nothing changed.

The manifest maps each article id to ``[location, mtime_ns, size, reasons]``: the
file's path, the version that was read, and why it failed to load (``None`` when it
loaded; a failed version is remembered so that an unchanged broken file is not read
again at every update). An update compares a scan of the folder with it and reads
only the files that were added or changed.

On disk (``reader-manifest.json``) a one-line summary comes first: the number of
articles, the files that failed and a fingerprint of every (id, location, mtime,
size). At start-up with nothing changed, the fingerprint of a fresh scan equals it
and the entries below are never parsed: at 10,000 articles, parsing and comparing
them cost as much as the scan itself. The entries are read when an update needs
them. A file written by an older version (the entries alone) is still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.support.atomic import write_atomic

if TYPE_CHECKING:
    from reader.corpus.articles import SourceFile

FILE = "reader-manifest.json"
FORMAT = "reader-manifest/2"

Entries = dict[str, list[Any]]


def fingerprint(stamps: Iterable[tuple[str, str, int, int]]) -> str:
    """A digest of (id, location, mtime_ns, size) for every file, in any order."""
    lines = sorted(f"{i}\0{location}\0{mtime}\0{size}\n" for i, location, mtime, size in stamps)
    data = "".join(lines).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def files_fingerprint(files: Iterable[SourceFile]) -> str:
    """The fingerprint of a scan: equal to the manifest's when nothing changed."""
    return fingerprint(files)


def entries_fingerprint(entries: Entries) -> str:
    return fingerprint((i, entry[0], entry[1], entry[2]) for i, entry in entries.items())


@dataclass(frozen=True, slots=True)
class Summary:
    """The first line of the manifest."""

    fingerprint: str
    articles: int
    #: Ids of the files that failed to load, with the reasons.
    failed: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Entries, fingerprint: str | None = None) -> Summary:
        """The summary of ``entries``; ``fingerprint``, when the caller knows it, is theirs."""
        failed = {i: list(entry[3]) for i, entry in entries.items() if _failed(entry)}
        fingerprint = fingerprint or entries_fingerprint(entries)
        return cls(fingerprint, len(entries) - len(failed), failed)


@dataclass(slots=True)
class Changes:
    """How a scan of the folder differs from the manifest."""

    #: Files to read: added or changed, in scan order.
    todo: list[SourceFile] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def changes(entries: Entries, files: list[SourceFile]) -> Changes:
    """What was added, changed (another path, time or size) and removed since ``entries``."""
    found = Changes()
    for source in files:
        known = entries.get(source.id)
        if known is None:
            found.todo.append(source)
            found.added.append(source.id)
        elif (known[0], known[1], known[2]) != (source.location, source.mtime_ns, source.size):
            found.todo.append(source)
            found.changed.append(source.id)
    found.removed = sorted(set(entries) - {source.id for source in files})
    return found


class ManifestError(Exception):
    """The manifest file is missing or damaged."""


class Manifest:
    """The manifest of one index folder; its entries are parsed when first asked for."""

    def __init__(
        self,
        entries: Entries | None = None,
        *,
        summary: Summary | None = None,
        path: Path | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """``fingerprint``: that of ``entries``, when the caller knows it (saves working
        it out: at 10,000 articles, a tenth of an update after one file changed)."""
        if entries is None and path is None:
            entries = {}
        self._entries = entries
        self._summary = summary
        self._path = path
        self._fingerprint = fingerprint

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """Read the summary line (the whole file when it was written by an older version).

        Raises :class:`ManifestError` when the file is missing, damaged or cut short.
        """
        try:
            with open(path, "rb") as handle:
                first = handle.readline()
                rest_at = handle.tell()
                rest = handle.seek(0, 2) - rest_at
        except OSError as error:
            raise ManifestError(f"manifest unreadable ({error.strerror})") from None
        head = _loads(first)
        if _is_summary(head):
            return cls(summary=_summary(head, rest), path=path)
        if isinstance(head, dict) and not rest:
            # Written by an older version: the entries alone, on one line.
            return cls(_checked(head))
        raise ManifestError("manifest damaged")

    @property
    def summary(self) -> Summary:
        if self._summary is None:
            self._summary = Summary.of(self.entries, self._fingerprint)
        return self._summary

    @property
    def entries(self) -> Entries:
        """Every entry; read from the file the first time, with the summary beside them
        (should another process have replaced the file since, both are the new ones).

        Raises :class:`ManifestError` if the file has been damaged since its summary was read.
        """
        if self._entries is None:
            assert self._path is not None
            try:
                with open(self._path, "rb") as handle:
                    first = handle.readline()
                    body = handle.read()
            except OSError as error:
                raise ManifestError(f"manifest unreadable ({error.strerror})") from None
            head = _loads(first)
            if not _is_summary(head):
                raise ManifestError("manifest damaged")
            summary = _summary(head, len(body))
            self._entries, self._summary = _checked(_loads(body)), summary
        return self._entries

    def article_ids(self) -> list[str]:
        """Ids of the articles (files that failed to load are not articles)."""
        return sorted(i for i, entry in self.entries.items() if not _failed(entry))

    def write(self, path: Path) -> None:
        """Write it atomically, without fsync: an index is a cache (see :func:`write_atomic`)."""
        summary = self.summary
        # ASCII: a path with bytes that are not UTF-8 survives as a \udcxx escape.
        body = json.dumps(self.entries).encode("ascii")
        head = {
            "format": FORMAT,
            "fingerprint": summary.fingerprint,
            "articles": summary.articles,
            "failed": summary.failed,
            "bytes": len(body),
        }
        data = json.dumps(head).encode("ascii")
        write_atomic(path, data + b"\n" + body, durable=False)


def _is_summary(head: Any) -> bool:
    return isinstance(head, dict) and head.get("format") == FORMAT


def _summary(head: dict[str, Any], body_bytes: int) -> Summary:
    """The summary in a manifest's first line, checked against the size of the rest."""
    try:
        summary = Summary(str(head["fingerprint"]), int(head["articles"]), dict(head["failed"]))
        whole = int(head["bytes"]) == body_bytes
    except (KeyError, TypeError, ValueError):
        raise ManifestError("manifest summary damaged") from None
    if not whole:
        raise ManifestError("manifest cut short")
    return summary


def _failed(entry: list[Any]) -> bool:
    return len(entry) > 3 and bool(entry[3])


def _loads(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def _checked(entries: Any) -> Entries:
    if not isinstance(entries, dict) or not all(
        isinstance(entry, list) and len(entry) >= 3 for entry in entries.values()
    ):
        raise ManifestError("manifest damaged")
    return entries
