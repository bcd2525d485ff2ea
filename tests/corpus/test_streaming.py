"""A big file is indexed a window at a time: the same document as loading it whole.

:func:`reader.index.documents.prepare` streams a file of ``STREAM_BYTES`` or more
(:mod:`reader.corpus.streaming`). Here every file is prepared both ways, with
tiny blocks and windows so that every cut falls somewhere awkward (inside a
character of several bytes, between a CR and its LF, inside front matter), and
must give the same document, problems included. The index written from a body
in parts must be the index written from the whole body.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from test_big_file_loading import _FRONT, _TEXT, CASES
from whoosh import index as whoosh_index

from reader.corpus import streaming
from reader.corpus.scanning import SourceFile
from reader.entities import recognizer
from reader.index import documents
from reader.index.schema import make_schema
from reader.index.writers import segment_writer

ARTICLES = Path(__file__).resolve().parents[2] / "articles"

#: Real news (the bundled corpus), several times over: windows of real sentences.
_NEWS = "\n\n".join(
    p.read_text(encoding="utf-8").split("---\n", 2)[-1] for p in sorted(ARTICLES.glob("*.md"))
)

STREAM_CASES = {
    **CASES,
    "news": (_FRONT + _NEWS * 3).encode(),
    "news, crlf": (_FRONT + _NEWS).replace("\n", "\r\n").encode(),
    "lone cr": (_FRONT + _TEXT.replace("\n", "\r")).encode(),
    "stop words first": (_FRONT + "the of a an and\n\n" * 300 + _NEWS).encode(),
    "one long line": (_FRONT + _NEWS.replace("\n", " ")).encode(),
    "utf-16": "\ufeff".encode("utf-16-le") + (_FRONT + _TEXT).encode("utf-16-le"),
    "not utf-8 late": (_FRONT + _NEWS).encode() + b"caf\xe9\n",
    "only spaces": b"   \n \t \n  ",
    "front matter, blank body": (_FRONT + "\n \n").encode(),
    "form feeds only": b" \x0c \n \x0c\n",
    "next lines only": "\x85 \n\x85".encode(),
    "no spaces": ("日本と越南の防衛協定" * 400 + "\n\n" + "x" * 3000 + " end\n").encode(),
}


def _source(path: Path) -> SourceFile:
    st = path.stat()
    return SourceFile("a", str(path), st.st_mtime_ns, st.st_size)


@pytest.fixture
def tiny_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 bytes and windows of 1,000 characters."""
    monkeypatch.setattr(streaming, "_BLOCK_BYTES", 7)
    monkeypatch.setattr(recognizer, "WINDOW_CHARS", 1000)


def _both_ways(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[documents.Prepared, documents.Prepared]:
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    streamed = documents.prepare(_source(path))
    monkeypatch.setattr(streaming, "STREAM_BYTES", 1 << 40)
    whole = documents.prepare(_source(path))
    return streamed, whole


def _plain(prepared: documents.Prepared) -> object:
    """The document with its texts in pieces (body, entities) made strings, and the problems."""
    document = {
        key: value.text() if isinstance(value, streaming.Pieces) else value
        for key, value in (prepared.document or {}).items()
    }
    return document, prepared.problems


@pytest.mark.parametrize("name", sorted(STREAM_CASES))
def test_a_streamed_file_gives_the_document_of_the_whole_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(STREAM_CASES[name])
    streamed, whole = _both_ways(path, monkeypatch)
    assert _plain(streamed) == _plain(whole)


def test_front_matter_past_the_head_is_loaded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    monkeypatch.setattr(streaming, "_HEAD_CHARS", 20)
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS).encode())
    streamed, whole = _both_ways(path, monkeypatch)
    assert _plain(streamed) == _plain(whole)
    assert streamed.document is not None and streamed.document["title"] == "Big é"


def test_plain_utf8_is_streamed_and_its_parts_are_the_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS * 3).encode())
    streamed, whole = _both_ways(path, monkeypatch)
    assert streamed.document is not None and whole.document is not None
    parts = streamed.document["body"]
    assert isinstance(parts, streaming.BodyParts) and len(parts) > 10
    body = whole.document["body"]
    assert [len(text) for text in parts.texts()] == [
        end - start for start, end in recognizer.windows(body, 1000)
    ]
    assert parts.chars == len(body) and parts.utf8_length == len(body.encode())


@pytest.mark.parametrize("text", ["news", "no spaces"])
def test_a_body_in_parts_is_indexed_and_stored_as_the_whole_body(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    path = tmp_path / "a.md"
    if text == "news":
        path.write_bytes((_FRONT + "the of a an and\n\n" * 300 + _NEWS * 3).encode())
    else:
        # Runs without white space longer than half a window: windows cut inside words.
        words = ["防衛協定" * 300, "x" * 2500, "agreement." * 150]
        path.write_bytes((_FRONT + "the of a an and\n\n" * 300 + " ".join(words * 3)).encode())
    streamed, whole = _both_ways(path, monkeypatch)
    contents = []
    for n, prepared in enumerate((streamed, whole)):
        assert prepared.document is not None
        folder = tmp_path / f"index{n}"
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        writer = segment_writer(ix)
        writer.add_document(**prepared.document)
        writer.commit()
        with ix.searcher() as searcher:
            reader = searcher.reader()
            postings = {
                (field, term): list(reader.postings(field, term).items_as("positions"))
                if field == "body"
                else None
                for field, term in reader.all_terms()
                if field in ("body", "spell_body")
            }
            contents.append(
                (postings, searcher.stored_fields(0), reader.doc_field_length(0, "body"))
            )
        ix.close()
    assert isinstance(streamed.document["body"], streaming.BodyParts)
    assert isinstance(streamed.document["entities"], streaming.Pieces)
    assert contents[0] == contents[1]
    postings = contents[0][0]
    assert any(field == "spell_body" for field, _ in postings)
    # The first word kept comes after 1,500 stop words, in a later part.
    body = [positions for (f, _), found in postings.items() if f == "body" for positions in found]
    assert min(p for _, positions in body for p in positions) == 1500


def _peak_of_preparing(path: Path) -> int:
    tracemalloc.start()
    try:
        prepared = documents.prepare(_source(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert prepared.document is not None
    return peak


def test_a_streamed_file_is_never_held_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(documents.ENV_ENTITIES, "off")  # recognition has its own tests
    monkeypatch.setattr(streaming, "_BLOCK_BYTES", 1 << 16)
    monkeypatch.setattr(recognizer, "WINDOW_CHARS", 1 << 15)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    small, big = tmp_path / "small.md", tmp_path / "big.md"
    # Past Latin-1 (’): the whole body would be two bytes a character.
    small.write_bytes((_FRONT + _NEWS * 40).encode())
    big.write_bytes((_FRONT + _NEWS * 160).encode())
    _peak_of_preparing(small)  # warm up
    growth = _peak_of_preparing(big) - _peak_of_preparing(small)
    more = big.stat().st_size - small.stat().st_size
    # About 8% (the windows kept compressed); the file's bytes, or its body as one
    # string, would be more than all of it.
    assert growth < more // 4, (growth, more)


@pytest.mark.parametrize("replacement", ["fifo", "device"])
def test_a_big_file_replaced_after_the_scan_is_refused_without_blocking(
    replacement: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import threading

    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS).encode())
    source = _source(path)
    path.unlink()
    if replacement == "fifo":
        os.mkfifo(path)  # nobody ever writes to it: open() would block for ever
    else:
        os.symlink("/dev/zero", path)  # never ends
    outcome: list[documents.Prepared] = []
    thread = threading.Thread(target=lambda: outcome.append(documents.prepare(source)), daemon=True)
    thread.start()
    thread.join(10)
    assert outcome, "preparing blocked"
    (prepared,) = outcome
    assert prepared.document is None
    assert [p.reason for p in prepared.problems] == [
        "not a regular file (" + ("a named pipe" if replacement == "fifo" else "a device") + ")"
    ]


def test_a_big_file_that_grew_past_the_limit_after_the_scan_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    from reader.corpus import articles

    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS).encode())
    monkeypatch.setattr(articles, "MAX_FILE_BYTES", path.stat().st_size)
    source = _source(path)
    with path.open("ab") as grown:
        grown.write(b"More text.\n")
    prepared = documents.prepare(source)
    assert prepared.document is None
    assert [p.reason for p in prepared.problems] == ["larger than 0 MB"]


def test_a_read_that_fails_midway_is_the_files_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    def failing(path: object, limit: int, size: int):  # type: ignore[no-untyped-def]
        yield b"---\ntitle: x\n---\n\nSome text.\n"
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    monkeypatch.setattr(streaming, "regular_blocks", failing)
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS).encode())
    prepared = documents.prepare(_source(path))
    assert prepared.document is None
    (problem,) = prepared.problems
    assert problem.path == path and problem.severity == "error"


@pytest.mark.parametrize("block", [1, 2, 3, 4])
def test_reads_shorter_than_the_mark_lose_nothing(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    monkeypatch.setattr(streaming, "_BLOCK_BYTES", block)
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + (_FRONT + _TEXT).encode())
    streamed, whole = _both_ways(path, monkeypatch)
    assert _plain(streamed) == _plain(whole)
    assert streamed.document is not None


@pytest.mark.parametrize(
    "spill", ["temporary file", "no temporary folder", "disk full", "short write"]
)
def test_a_streamed_body_waits_in_a_temporary_file_or_else_in_memory(
    spill: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_pieces: None
) -> None:
    import pickle
    import tempfile

    if spill == "no temporary folder":

        def no_folder(*args: object, **kwargs: object) -> None:
            raise OSError(2, "No such file or directory")

        monkeypatch.setattr(tempfile, "TemporaryFile", no_folder)
    elif spill in ("disk full", "short write"):
        real = tempfile.TemporaryFile

        class Full:
            def __init__(self, *args: object, **kwargs: object) -> None:
                self.file = real(*args, **kwargs)
                self.writes = 0

            def write(self, data: bytes) -> int:
                self.writes += 1
                if self.writes > 3 and spill == "disk full":
                    raise OSError(28, "No space left on device")
                if self.writes > 3:
                    return self.file.write(data[: len(data) // 2])
                return self.file.write(data)

            def __getattr__(self, name: str) -> object:
                return getattr(self.file, name)

        monkeypatch.setattr(tempfile, "TemporaryFile", Full)
    path = tmp_path / "a.md"
    path.write_bytes((_FRONT + _NEWS * 3).encode())
    streamed, whole = _both_ways(path, monkeypatch)
    assert _plain(streamed) == _plain(whole)
    assert streamed.document is not None
    parts = streamed.document["body"]
    in_memory = [isinstance(part, bytes) for part in parts]
    expected = {
        "temporary file": {False},
        "no temporary folder": {True},
        "disk full": {False, True},
        "short write": {False, True},
    }
    assert set(in_memory) == expected[spill]
    # To another process (a worker's document goes to the writer): the parts themselves.
    again = pickle.loads(pickle.dumps(parts))
    assert all(isinstance(part, bytes) for part in again) and again.spill is None
    assert again.text() == parts.text() and again.chars == parts.chars
