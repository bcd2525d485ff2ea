"""The user's corrections to agreement records: user data, kept next to the highlights.

``~/.local/share/reader/agreements.json`` holds a list of operations, applied in
order over what recognition merged, every time the records are listed::

    {"version": 1, "operations": [
      {"op": "edit", "members": ["article#name", ...],
       "fields": {"name": "...", "date": "1987-02"}},
      {"op": "merge", "members": [...]},
      {"op": "split", "members": [...]}
    ]}

Operations name *members* (``article-id#name-in-that-article``), never record ids,
so they survive re-indexing, a new recognizer and an upgrade: an edit applies to
the record that holds any of its members, a merge joins the records holding its
members, a split takes its members out into a record of their own. Each change
is a read-modify-write under an exclusive lock on ``agreements.json.lock``, written
atomically; a damaged file is set aside with a timestamp, never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.support.atomic import write_atomic
from reader.support.locations import data_dir
from reader.support.locking import locked

FORMAT_VERSION = 1
EDITABLE = ("name", "date", "parties", "signatories", "place", "status", "kind")
_LOCK_TIMEOUT = 5.0


class CorrectionError(Exception):
    """A correction that cannot be stored or applied; the message says why."""


def default_path() -> Path:
    return data_dir() / "agreements.json"


class Corrections:
    """The corrections file: read it, add an operation, apply them to merged members."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def operations(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise CorrectionError(f"cannot read {self.path}: {error.strerror or error}") from None
        return _parse(raw, self.path)

    def add(self, operation: dict[str, Any]) -> None:
        """Append one operation, under the lock, to a fresh read of the file."""
        with _locked(self.lock_path):
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raw = None
            try:
                operations = _parse(raw, self.path) if raw is not None else []
            except CorrectionError:
                _set_aside(self.path)
                operations = []
            operations.append(operation)
            data = {"version": FORMAT_VERSION, "operations": operations}
            text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
            try:
                write_atomic(self.path, text.encode("utf-8"))
            except OSError as error:
                raise CorrectionError(
                    f"cannot write {self.path}: {error.strerror or error}"
                ) from None

    def fingerprint(self) -> str:
        try:
            stat = self.path.stat()
        except OSError:
            return "none"
        return f"{stat.st_mtime_ns}:{stat.st_size}"


def _parse(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw.decode("utf-8"))
        operations = data["operations"]
        if not isinstance(operations, list):
            raise TypeError("operations is not a list")
        return [
            op for op in operations if isinstance(op, dict) and isinstance(op.get("members"), list)
        ]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise CorrectionError(f"{path} is damaged ({error}); it was left as it is") from None


def _set_aside(path: Path) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(f"{path.name}.damaged-{stamp}"))


def _locked(lock_path: Path):
    return locked(
        lock_path,
        _LOCK_TIMEOUT,
        lambda: CorrectionError(f"{lock_path} is held by another process"),
        poll=0.05,
    )


# -- applying them ----------------------------------------------------------------------------


def apply(
    groups: Sequence[Sequence[Any]], operations: Sequence[dict[str, Any]]
) -> tuple[list[list[Any]], dict[int, dict[str, Any]]]:
    """Merge and split ``groups`` of members (objects with a ``key``) as the operations say.

    Returns the new groups and, by group index, the fields the user set.
    """
    current = [list(group) for group in groups if group]
    edits: list[tuple[set[str], dict[str, Any]]] = []
    for op in operations:
        keys = {str(k) for k in op.get("members") or ()}
        kind = op.get("op")
        if kind == "merge":
            joined = [g for g in current if any(m.key in keys for m in g)]
            if len(joined) > 1:
                current = [g for g in current if not any(m.key in keys for m in g)]
                current.append([m for g in joined for m in g])
        elif kind == "split":
            out = []
            for group in current:
                taken = [m for m in group if m.key in keys]
                kept = [m for m in group if m.key not in keys]
                if taken and kept:
                    out.extend([kept, taken])
                else:
                    out.append(group)
            current = out
        elif kind == "edit":
            fields = {k: v for k, v in (op.get("fields") or {}).items() if k in EDITABLE}
            edits.append((keys, fields))
    fields_by_group: dict[int, dict[str, Any]] = {}
    for keys, fields in edits:
        # the record that holds most of the members edited (a split-off one does not
        # take the edit with it)
        overlaps = [(sum(1 for m in group if m.key in keys), -i) for i, group in enumerate(current)]
        if overlaps:
            best, negative = max(overlaps)
            if best:
                fields_by_group.setdefault(-negative, {}).update(fields)
    return current, fields_by_group
