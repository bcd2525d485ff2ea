"""The app's settings, read from ``config.yaml`` in the user's config folder.

Example::

    theme: gruvbox            # any Textual theme name
    debounce: 0.2             # seconds of quiet typing before a search (default 0)
    results: 100              # results listed at a time; the last row lists more
    compact_results: true     # one line per result (the l key switches)
    keymap:                   # binding id -> key(s); see the help screen (?) for ids
      reader.next_result: "ctrl+n"
      reader.quit: "q,ctrl+c"

A bad file never stops the app: :func:`read_settings` keeps every valid
setting and returns one line per problem, each naming its key (an unknown
setting, a bad value, a keymap entry whose key cannot be pressed); the app
shows them all. Binding ids are checked by the app, which knows them.
:func:`load_settings` raises :class:`SettingsError` with all the problems instead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.support.locations import config_dir

CONFIG_NAME = "config.yaml"


class SettingsError(Exception):
    """The config file cannot be used; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set for the app."""

    #: A Textual theme name; None keeps the last theme used (or the default).
    theme: str | None = None
    #: Seconds of quiet typing in the query box before a search. 0: search at every
    #: keystroke; one search runs at a time, and keys typed meanwhile are searched
    #: together when it answers.
    debounce: float = 0.0
    #: How many results a search lists at first, and how many more each "more" row adds
    #: (the hit count is always the full total).
    results: int = 50
    #: One line per result (date and title) instead of title, source and snippet; the
    #: ``l`` key switches between the two.
    compact_results: bool = False
    #: Binding id to comma-separated keys, overriding the defaults.
    keymap: dict[str, str] = field(default_factory=dict)


#: A config file is a few lines; anything bigger is not one.
MAX_CONFIG_BYTES = 1024 * 1024


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives the defaults. Raises SettingsError
    naming every problem (see :func:`read_settings` to keep the valid settings)."""
    settings, problems = read_settings(path)
    if problems:
        raise SettingsError("; ".join(problems))
    return settings


def read_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings, every valid one kept, and one line per problem (naming its key)."""
    from reader.support.regular import read_regular

    path = path or config_path()
    try:
        # A FIFO left the app blank and a link to /dev/zero read gigabytes.
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Settings(), []
    except OSError as error:
        return Settings(), [f"{path}: cannot read ({error.strerror or error})"]
    except UnicodeDecodeError:
        return Settings(), [f"{path}: not UTF-8 text"]
    import yaml  # only when there is a file: it is a noticeable part of startup

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return Settings(), [f"{path}: not valid YAML{where}"]
    if raw is None:
        return Settings(), []
    if not isinstance(raw, dict):
        return Settings(), [f"{path}: expected a mapping of settings"]
    return _validate(raw, path)


def _validate(raw: dict[Any, Any], path: Path) -> tuple[Settings, list[str]]:
    known = [f.name for f in dataclasses.fields(Settings)]
    values: dict[str, Any] = {}
    problems: list[str] = []

    def bad(message: str) -> None:
        problems.append(f"{path}: {message}")

    for key, value in raw.items():
        if key not in known:
            bad(f"unknown setting {key!r} (known: {', '.join(known)})")
            continue
        values[key] = value
    if "theme" in values:
        theme = values.pop("theme")
        if theme is None or isinstance(theme, str):
            values["theme"] = theme
        else:
            bad("'theme' must be a theme name")
    if "debounce" in values:
        debounce = values.pop("debounce")
        number = isinstance(debounce, int | float) and not isinstance(debounce, bool)
        if not number or not 0 <= debounce <= 5:
            bad("'debounce' must be a number of seconds between 0 and 5")
        else:
            values["debounce"] = float(debounce)
    if "results" in values:
        results = values.pop("results")
        if isinstance(results, bool) or not isinstance(results, int) or not 1 <= results <= 10_000:
            bad("'results' must be a whole number between 1 and 10000")
        else:
            values["results"] = results
    if "compact_results" in values and not isinstance(values["compact_results"], bool):
        values.pop("compact_results")
        bad("'compact_results' must be true or false")
    if "keymap" in values:
        keymap = values.pop("keymap") or {}
        if not isinstance(keymap, dict):
            bad("'keymap' must map binding ids to keys")
            keymap = {}
        kept: dict[str, str] = {}
        for binding_id, keys in keymap.items():
            if not isinstance(binding_id, str) or not isinstance(keys, str) or not keys.strip():
                bad(f"keymap entry {binding_id!r} must be a key string")
                continue
            wrong = [k.strip() for k in keys.split(",") if not is_key(k.strip())]
            if wrong:
                bad(f"keymap entry {binding_id!r}: {', '.join(map(repr, wrong))} is not a key")
                continue
            kept[binding_id] = keys
        values["keymap"] = kept
    return Settings(**values), problems


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def is_key(text: str) -> bool:
    """Whether ``text`` names a key Textual can bind: modifiers joined with ``+`` and
    one key (a character, a key name such as ``escape`` or ``f5``, or a character's
    name such as ``slash``), as in ``ctrl+n`` or ``shift+f5``."""
    from textual.keys import Keys, _character_to_key

    parts = text.split("+")
    key = parts[-1]
    if not key or len(parts) != len(set(parts)):
        return False
    if any(part not in _MODIFIERS for part in parts[:-1]):
        return False
    if len(key) == 1:
        return key.isprintable()
    if key in {k.value for k in Keys} or key in {"space", "tab", "enter", "backspace"}:
        return True
    # The name of a punctuation key ("slash", "question_mark"); not any Unicode name:
    # "banana" names a character no keyboard has a key for.
    return key in {_character_to_key(chr(code)) for code in range(33, 127)}
