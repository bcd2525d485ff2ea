"""The feeds a user follows: ``reader import --subscribe`` adds, ``reader update`` reads.

They are user data, kept in the data folder (``subscriptions.json`` beside the
highlights) and written atomically. Each feed remembers the corpus folder it
feeds, so ``reader update`` brings every feed's new items into the right folder.
A file that cannot be read is never replaced by an empty one: the command stops
and says so, and the file is left for the user to mend.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from reader.support.atomic import write_atomic
from reader.support.locations import data_dir

FILE_NAME = "subscriptions.json"
VERSION = 1


class SubscriptionError(ValueError):
    """The subscriptions file cannot be read or written; the message says why."""


@dataclass(slots=True)
class Subscription:
    """One followed feed (or page) and the corpus folder its articles go to."""

    url: str
    corpus: str
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    added: str = ""
    updated: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "corpus": self.corpus,
            "title": self.title,
            "tags": list(self.tags),
            "added": self.added,
            "updated": self.updated,
        }


def path() -> Path:
    return data_dir() / FILE_NAME


def load() -> list[Subscription]:
    """Every subscription, or :class:`SubscriptionError` when the file is damaged."""
    file = path()
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise SubscriptionError(f"cannot read {file}: {error}") from None
    try:
        document = json.loads(raw)
        feeds = document["feeds"]
        if not isinstance(feeds, list):
            raise TypeError
        out = []
        for item in feeds:
            out.append(
                Subscription(
                    url=str(item["url"]),
                    corpus=str(item["corpus"]),
                    title=item.get("title") if isinstance(item.get("title"), str) else None,
                    tags=[str(t) for t in item.get("tags") or [] if isinstance(t, str)],
                    added=str(item.get("added") or ""),
                    updated=item.get("updated") if isinstance(item.get("updated"), str) else None,
                )
            )
        return out
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        raise SubscriptionError(
            f"{file} is damaged (not the subscriptions JSON); mend or move it away"
        ) from None


def save(subscriptions: list[Subscription]) -> None:
    document = {"version": VERSION, "feeds": [s.to_dict() for s in subscriptions]}
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomic(path(), text.encode("utf-8"))
    except OSError as error:
        raise SubscriptionError(f"cannot write {path()}: {error.strerror or error}") from None


def subscribe(
    urls: list[tuple[str, str | None, tuple[str, ...]]], corpus: Path
) -> tuple[list[Subscription], list[Subscription]]:
    """Add ``(url, title, tags)`` feeds for ``corpus``: returns (added, already there)."""
    current = load()
    folder = str(corpus.expanduser().resolve())
    have = {(s.url, s.corpus): s for s in current}
    added, present = [], []
    now = _now()
    for url, title, tags in urls:
        key = (url.strip(), folder)
        if key in have:
            present.append(have[key])
            continue
        subscription = Subscription(key[0], folder, title, list(tags), added=now)
        current.append(subscription)
        have[key] = subscription
        added.append(subscription)
    if added:
        save(current)
    return added, present


def mark_updated(done: list[Subscription]) -> None:
    """Record when these subscriptions were last read."""
    current = load()
    now = _now()
    keys = {(s.url, s.corpus) for s in done}
    for subscription in current:
        if (subscription.url, subscription.corpus) in keys:
            subscription.updated = now
    save(current)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
