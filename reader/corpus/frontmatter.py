"""Split a text file into YAML front matter and body, safely.

``yaml.safe_load`` never runs code, but it still expands aliases (a "billion
laughs" file turns into a structure that is explosive to print or walk) and it
accepts any nesting depth. Front matter is a handful of scalars, so this loader
refuses aliases outright and caps size and depth.

A value YAML recognises but cannot build (``date: 2021-13-45``, year 0, an
offset of 99 hours) stays the text it was written as, so one bad value never
costs the whole file: :mod:`reader.corpus.articles` judges each field and drops
the ones it cannot use, with a warning.
"""

from __future__ import annotations

from typing import Any

import yaml

from reader.support.textsafe import one_line

#: Front matter larger than this is refused: it is not metadata any more.
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: Mappings and lists nested deeper than this are refused.
MAX_DEPTH = 8

_OPEN = "---"
_CLOSERS = ("---", "...")


class FrontMatterError(ValueError):
    """The front matter is present but unusable; the message says why."""


#: libyaml's safe loader when available (ten times faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with timestamps that cannot be built kept as their text."""


def _timestamp_or_text(loader: Any, node: Any) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):  # 2021-13-45, 0000-01-01, +99:00
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_events(raw: str) -> None:
    """Refuse aliases (so alias bombs are never expanded) and deep nesting, by
    reading the YAML events before anything is constructed."""
    depth = 0
    for event in yaml.parse(raw, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 2 if event.start_mark else "?"
            raise FrontMatterError(f"YAML aliases are not allowed in front matter (line {line})")
        if isinstance(event, _OPENERS):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(f"front matter nests deeper than {MAX_DEPTH} levels")
        elif isinstance(event, _CLOSERS_EVENTS):
            depth -= 1


def split(text: str) -> tuple[dict[str, Any] | None, str, int]:
    """Return ``(metadata, body, body_line)`` for a file's decoded text.

    ``metadata`` is None when the file has no front matter. ``body_line`` is the
    1-based line the body starts on (for messages). Raises FrontMatterError for
    front matter that is opened but unusable.
    """
    if not text.startswith(_OPEN):
        return None, text, 1
    first_end = text.find("\n")
    first_line = text[: first_end if first_end >= 0 else len(text)]
    if first_line.rstrip() != _OPEN:
        return None, text, 1  # e.g. a "----" rule or "--- text": not front matter
    pos = first_end + 1 if first_end >= 0 else len(text)
    line_no = 2
    while pos < len(text):
        end = text.find("\n", pos)
        line = text[pos : end if end >= 0 else len(text)]
        if line.rstrip() in _CLOSERS:
            raw = text[first_end + 1 : pos]
            body_start = end + 1 if end >= 0 else len(text)
            return _parse(raw), text[body_start:], line_no + 1
        if pos > MAX_FRONT_MATTER_CHARS:
            break
        pos = end + 1 if end >= 0 else len(text)
        line_no += 1
    if pos > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KB or never closed"
        )
    raise FrontMatterError("front matter opened with '---' on line 1 is never closed")


def _parse(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KB")
    try:
        _check_events(raw)
        data = yaml.load(raw, Loader=_Loader)  # a safe loader: no tags run code
    except FrontMatterError:
        raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise FrontMatterError(f"front matter is not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise FrontMatterError("front matter nests too deeply") from None
    except (ValueError, TypeError, OverflowError) as error:
        # A value no field could use, raised while YAML builds it: the file is skipped
        # with the reason rather than stopping whoever reads the corpus.
        reason = one_line(str(error))[:120]
        raise FrontMatterError(f"front matter has a value that cannot be read: {reason}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise FrontMatterError(f"front matter is a {kind}, not a mapping of keys to values")
    return data
