"""Where things live: the corpus to read and the per-user folders.

The corpus is chosen by ``--corpus``, else ``$READER_CORPUS``, else ``./articles``
when the current folder has one, else the corpus bundled inside the package.
The index lives in the user's cache folder (one per corpus, never inside the
articles folder); highlights in the data folder; the last session in the state
folder; settings and the user gazetteer in the config folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "reader"
ENV_CORPUS = "READER_CORPUS"
#: Tests and power users can move every per-user folder under one root.
ENV_HOME = "READER_HOME"


def bundled_corpus() -> Path:
    """The five articles that ship with the package.

    An installed wheel carries them as ``reader/bundled_articles``; a source
    checkout (or an editable install) reads the repository's ``articles/``.
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / "bundled_articles"
    if installed.is_dir():
        return installed
    return package.parent / "articles"


def default_corpus(cwd: Path | None = None) -> Path:
    """The corpus to use when none is given on the command line."""
    env = os.environ.get(ENV_CORPUS)
    if env:
        return Path(env).expanduser()
    local = (cwd or Path.cwd()) / "articles"
    if local.is_dir():
        return local
    return bundled_corpus()


def _user_dir(kind: str) -> Path:
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser() / kind
    finder = {
        "cache": platformdirs.user_cache_path,
        "data": platformdirs.user_data_path,
        "state": platformdirs.user_state_path,
        "config": platformdirs.user_config_path,
    }[kind]
    return finder(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    return _user_dir("cache")


def data_dir() -> Path:
    return _user_dir("data")


def state_dir() -> Path:
    return _user_dir("state")


def config_dir() -> Path:
    return _user_dir("config")


def index_dir_for(corpus: Path) -> Path:
    """The index folder of ``corpus``: a name readable by people, unique by path."""
    resolved = corpus.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    readable = "".join(c if c.isalnum() or c in "-_" else "-" for c in resolved.name)[:40]
    return cache_dir() / "indexes" / f"{readable or 'root'}-{digest}"


#: The folder inside an index folder that holds the index in use (a rebuild is
#: written beside it and swapped in).
LIVE_INDEX = "whoosh"
