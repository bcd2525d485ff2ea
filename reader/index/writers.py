"""Whoosh segment writers that write the same index with less work.

``title`` and ``body`` are stemmed and have ``spelling=True``, so Whoosh keeps the
words as written in a second field (``spell_title``, ``spell_body``) for
did-you-mean and fuzzy search. For every document it adds one posting per
distinct word to that field, all for document 0: the field is a vocabulary, not a
list of documents. In a build of news articles that is nearly half of all the
postings that are then sorted, encoded and written.

:class:`SpellingCountPool` adds them up instead: one posting per word and segment,
whose weight is the number of documents that had it. The vocabulary and each
word's frequency (``reader.frequency``) are the same as Whoosh's own; only the
posting count (``doc_frequency``) of a spelling word differs, which nothing reads,
and the posting's value is empty where Whoosh stored the positions of whatever
term its loop saw last.

The writer also reads each field's document lengths once per segment when it
writes the postings, where Whoosh reads them from the column once per posting.
When it commits, a segment whose every document has been deleted (an article
edited again and again) is dropped before Whoosh's usual merge of small segments.
"""

from __future__ import annotations

from typing import Any

from whoosh.writing import MERGE_SMALL, PostingPool, SegmentWriter

from reader.corpus.streaming import Pieces
from reader.index import whoosh_patches

# Also in the worker processes of a parallel build, which do not import corpus_index.
whoosh_patches.apply()


#: Postings held in memory while a big file's document is added (see ``add_document``).
BIG_DOCUMENT_POOL_BYTES = 8 * 1024 * 1024


class SpellingCountPool(PostingPool):
    """A posting pool that sums the postings of the spelling fields per word."""

    def __init__(self, *args: Any, spelling_fields: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spelling_fields = spelling_fields
        self.spelling_counts: dict[tuple[str, bytes], float] = {}

    def add(self, item: tuple[Any, ...]) -> None:
        # item = (fieldname, tbytes, docnum, weight, vbytes)
        if item[0] in self.spelling_fields:
            key = (item[0], item[1])
            self.spelling_counts[key] = self.spelling_counts.get(key, 0) + item[3]
            return
        super().add(item)

    def iter_postings(self) -> Any:
        counts, self.spelling_counts = self.spelling_counts, {}
        for (fieldname, word), count in counts.items():
            super().add((fieldname, word, 0, count, b""))
        return super().iter_postings()


class _LengthsOnce:
    """A per-document reader's field lengths, each field's read once, for ``add_postings``."""

    def __init__(self, reader: Any, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._fields: dict[str, list[Any]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        try:
            lengths = self._fields[fieldname]
        except KeyError:
            read = self._reader.doc_field_length
            lengths = [read(n, fieldname, default) for n in range(self._doc_count)]
            self._fields[fieldname] = lengths
        return lengths[docnum]


class ReaderSegmentWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter``, counting spelling postings and reading lengths once.

    It never locks the index: the caller holds the write lock.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, _lk=False, **kwargs)
        spelling = frozenset(
            field.spelling_fieldname(name)
            for name, field in self.schema.items()
            if field.separate_spelling()
        )
        self.pool = SpellingCountPool(
            self._tempstorage,
            self.newsegment,
            limitmb=self.pool.limit // (1024 * 1024),
            spelling_fields=spelling,
        )

    def add_document(self, **fields: Any) -> None:
        # Text in pieces is a big file's (reader.corpus.streaming): its postings
        # alone (a posting per word, with every position) would take more than its
        # text, so the pool writes them to a sorted run on disk every few megabytes.
        if not any(isinstance(value, Pieces) for value in fields.values()):
            super().add_document(**fields)
            return
        limit = self.pool.limit
        self.pool.limit = min(limit, BIG_DOCUMENT_POOL_BYTES)
        try:
            super().add_document(**fields)
        finally:
            self.pool.limit = limit

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment, with the lengths read once per field.
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _LengthsOnce(reader, self.docnum) if reader is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def drop_deleted_then_merge_small(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """The merge policy: segments with no document left go (their files are removed
    with the commit), then Whoosh's ``MERGE_SMALL`` merges the small ones left.

    Without it, each update of the same article leaves a segment of one deleted
    document behind, opened at every search until enough pile up to be merged.
    """
    return MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count()])


def segment_writer(ix: Any) -> SegmentWriter:
    """A writer for ``ix`` that does not lock it: the caller holds the write lock."""
    writer = ReaderSegmentWriter(ix)
    writer.mergetype = drop_deleted_then_merge_small
    return writer
