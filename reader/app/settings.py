"""The app's settings, read from ``config.yaml`` in the user's config folder.

Example::

    theme: gruvbox            # any Textual theme name
    debounce: 0.2             # seconds of quiet typing before a search (default 0)
    results: 100              # results listed at a time; the last row lists more
    keymap:                   # binding id -> key(s); see the help screen (?) for ids
      reader.next_result: "ctrl+n"
      reader.quit: "q,ctrl+c"

A bad file never stops the app: :func:`load_settings` raises
:class:`SettingsError` with one line naming the bad key, and the app shows it
and carries on with the defaults.
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
    #: Binding id to comma-separated keys, overriding the defaults.
    keymap: dict[str, str] = field(default_factory=dict)


#: A config file is a few lines; anything bigger is not one.
MAX_CONFIG_BYTES = 1024 * 1024


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives the defaults."""
    from reader.support.regular import read_regular

    path = path or config_path()
    try:
        # A FIFO left the app blank and a link to /dev/zero read gigabytes.
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    import yaml  # only when there is a file: it is a noticeable part of startup

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SettingsError(f"{path}: not valid YAML{where}") from None
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping of settings")
    return _validate(raw, path)


def _validate(raw: dict[Any, Any], path: Path) -> Settings:
    known = {f.name for f in dataclasses.fields(Settings)}
    defaults = Settings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise SettingsError(f"{path}: unknown setting {key!r} (known: {', '.join(known)})")
        values[key] = value
    theme = values.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise SettingsError(f"{path}: 'theme' must be a theme name")
    debounce = values.get("debounce", defaults.debounce)
    if (
        isinstance(debounce, bool)
        or not isinstance(debounce, int | float)
        or not 0 <= debounce <= 5
    ):
        raise SettingsError(f"{path}: 'debounce' must be a number of seconds between 0 and 5")
    results = values.get("results", defaults.results)
    if isinstance(results, bool) or not isinstance(results, int) or not 1 <= results <= 10_000:
        raise SettingsError(f"{path}: 'results' must be a whole number between 1 and 10000")
    keymap = values.get("keymap") or {}
    if not isinstance(keymap, dict):
        raise SettingsError(f"{path}: 'keymap' must map binding ids to keys")
    for binding_id, keys in keymap.items():
        if not isinstance(binding_id, str) or not isinstance(keys, str) or not keys.strip():
            raise SettingsError(f"{path}: keymap entry {binding_id!r} must be a key string")
    return Settings(theme=theme, debounce=float(debounce), results=results, keymap=dict(keymap))
