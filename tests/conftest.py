"""Shared fixtures: every test gets its own per-user folders and corpus copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.locations import bundled_corpus

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
ABC_ZIP = SHARED / "corpora" / "abc-news-2006.zip"


@pytest.fixture(autouse=True)
def reader_home(tmp_path_factory, monkeypatch) -> Path:
    """Keep indexes, highlights and state out of the real user folders."""
    home = tmp_path_factory.mktemp("reader-home")
    monkeypatch.setenv("READER_HOME", str(home))
    monkeypatch.delenv("READER_CORPUS", raising=False)
    return home


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A private copy of the bundled corpus that a test may change."""
    target = tmp_path / "articles"
    shutil.copytree(bundled_corpus(), target)
    return target


@pytest.fixture
def index(corpus):
    from reader.index import CorpusIndex

    built = CorpusIndex(corpus)
    built.open()
    built.update()
    yield built
    built.close()


def article_path(corpus: Path, stem_start: str) -> Path:
    """The one article in ``corpus`` whose file name starts with ``stem_start``."""
    (found,) = [p for p in corpus.iterdir() if p.name.startswith(stem_start)]
    return found
