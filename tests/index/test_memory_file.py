"""Files inside a compound Whoosh segment are read in place, not copied."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.index.whoosh_patches import MemoryFile

ARTICLES = Path(__file__).resolve().parents[2] / "articles"

operations = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("readinto"), st.integers(0, 40)),
        st.tuples(st.just("seek"), st.integers(0, 60), st.sampled_from([0, 1, 2])),
        st.tuples(st.just("tell")),
    ),
    max_size=30,
)


@given(data=st.binary(max_size=50), ops=operations)
def test_memory_file_reads_like_bytesio(data: bytes, ops: list[tuple]) -> None:
    ours, theirs = MemoryFile(memoryview(data)), io.BytesIO(data)
    for op in ops:
        name, *args = op
        if name == "seek":
            offset, whence = args
            offset = -offset if whence == 2 else offset
            if whence == 2 and offset > 0:
                offset = 0
            assert ours.seek(offset, whence) == theirs.seek(offset, whence)
        elif name == "readinto":
            mine, other = bytearray(args[0]), bytearray(args[0])
            assert ours.readinto(mine) == theirs.readinto(other)
            assert mine == other
        else:
            assert getattr(ours, name)(*args) == getattr(theirs, name)(*args)
    assert list(ours) == list(theirs)


def test_a_searcher_reads_the_segment_in_place(tmp_path: Path) -> None:
    from whoosh.filedb.structfile import BufferFile

    from reader.index.corpus_index import CorpusIndex

    corpus = tmp_path / "articles"
    shutil.copytree(ARTICLES, corpus)
    index = CorpusIndex(corpus, tmp_path / "index")
    index.open()
    index.update()
    with index.searcher() as searcher:
        reader = searcher.reader()
        segment_readers = [r for r, _ in reader.leaf_readers()]
        for segment_reader in segment_readers:
            terms_file = segment_reader._terms._dbfile
            assert isinstance(terms_file, BufferFile)  # inside the segment's compound file
            assert isinstance(terms_file.file, MemoryFile)
        assert searcher.doc_count() == 5
        assert list(searcher.lexicon("title"))
    index.close()
