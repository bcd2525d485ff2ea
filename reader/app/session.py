"""What the app remembers between launches: query, article, position, theme.

One JSON file in the user's state folder holds a session per corpus folder.
The position is a character offset into the article body, not a screen line,
so it survives a change of terminal width. A damaged or unreadable file is
treated as empty: forgetting a session is better than refusing to start.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from reader.support.atomic import write_atomic
from reader.support.locations import state_dir

SESSIONS_NAME = "sessions.json"


@dataclass(slots=True)
class Session:
    """The state of the app for one corpus when it was last closed."""

    query: str = ""
    sort: str = "relevance"
    article_id: str | None = None
    #: Body offset of the first line shown in the viewer.
    offset: int = 0
    theme: str | None = None


def sessions_path() -> Path:
    return state_dir() / SESSIONS_NAME


def _key(corpus: Path) -> str:
    return str(corpus.expanduser().resolve())


def _read_all(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_session(corpus: Path, path: Path | None = None) -> Session:
    raw = _read_all(path or sessions_path()).get(_key(corpus))
    if not isinstance(raw, dict):
        return Session()
    session = Session()
    defaults = Session()
    for item in fields(Session):
        value = raw.get(item.name)
        expected = type(getattr(defaults, item.name))
        if value is None:
            continue
        if (item.name in ("article_id", "theme") and isinstance(value, str)) or (
            isinstance(value, expected) and not isinstance(value, bool)
        ):
            setattr(session, item.name, value)
    if session.sort not in ("relevance", "date"):
        session.sort = "relevance"
    session.offset = max(0, session.offset)
    return session


def save_session(corpus: Path, session: Session, path: Path | None = None) -> None:
    """Write the session atomically; failures are ignored (state is a convenience)."""
    path = path or sessions_path()
    data = _read_all(path)
    data[_key(corpus)] = asdict(session)
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
