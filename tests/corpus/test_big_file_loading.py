"""A big file is read a block at a time: the same article, less memory.

``load`` reads a file of :data:`~reader.corpus.streaming.STREAM_BYTES` or more by
its own way (``_load_streamed``); every file here is loaded both ways and must give
the same article, or the same error.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from reader.corpus import articles as corpus
from reader.corpus import streaming
from reader.corpus.scanning import SourceFile

_FRONT = "---\ntitle: Big é\ndate: 2006-01-01\n---\n"
_TEXT = "Wattle’s bloom, in Canberra.\n\nMore words é here.\n" * 40

CASES = {
    "front matter": (_FRONT + "\n\n" + _TEXT).encode(),
    "no front matter": ("\n\n" + _TEXT).encode(),
    "no last line end": (_FRONT + _TEXT.rstrip("\n")).encode(),
    "many line ends": (_FRONT + "\n" * 50 + _TEXT + "\n" * 50).encode(),
    "controls": (_FRONT + _TEXT + "NEL\x85 ESC\x1b[2J bidi\u202e DEL\x7f tab\tend\n").encode(),
    "only front matter": (_FRONT + "\n\n\n").encode(),
    "empty": b"\n\n\n",
    "rule, not front matter": ("----\n" + _TEXT).encode(),
    "never closed": ("---\ntitle: x\n" + _TEXT).encode(),
    "bad front matter": ("---\ntitle: [x\n---\n" + _TEXT).encode(),
    "crlf": (_FRONT + _TEXT).replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + (_FRONT + _TEXT).encode(),
    "cp1252": (_FRONT + _TEXT).encode() + b"caf\xe9\n",
    "cp1252 in front matter": b"---\ntitle: caf\xe9\n---\n" + _TEXT.encode(),
    "binary": b"\x00\x01\x02" * 3000,
    "long front matter": ("---\ntitle: x\n" + "a: b\n" * 20_000 + "---\n" + _TEXT).encode(),
}


def _load(path: Path, big: int, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(streaming, "STREAM_BYTES", big)
    st = path.stat()
    try:
        article = corpus.load(SourceFile("a", str(path), st.st_mtime_ns, st.st_size))
    except corpus.ArticleError as error:
        return f"error: {error}"
    return article


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_big_file_loads_as_any_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(CASES[name])
    assert _load(path, 0, monkeypatch) == _load(path, 1 << 40, monkeypatch)


def test_a_big_file_is_read_in_less_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    half = "Wattle’s bloom here.\n\n" * 50_000  # two bytes a character once decoded
    path.write_text(_FRONT + half + "NEL\x85 here\n" + half, encoding="utf-8")
    st = path.stat()
    source = SourceFile("big", str(path), st.st_mtime_ns, st.st_size)
    corpus.load(source)  # warm up
    tracemalloc.start()
    try:
        article = corpus.load(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "NEL\ufffd here" in article.body
    # Before: the text, the body taken out of it, then the body neutralised, each
    # while the one before was held (13.2 MB for 2.4 MB). Now 9.6 MB: the file's
    # bytes, neutralised, then decoded (the decoder's buffer widened to two bytes).
    assert peak < 4.5 * st.st_size, peak
