"""The index's schema and the names every index module shares.

Imported by :mod:`reader.index.corpus_index`, :mod:`reader.index.index_writing`
and :mod:`reader.index.segments` (which writes whole segments in worker
processes); it imports none of them.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from reader.index.analysis import name_analyzer, text_analyzer

#: Bump when the schema or what goes into the fields changes: old indexes rebuild.
SCHEMA_VERSION = 2

#: Scratch folders of a parallel build, inside the index folder (see reader.index.segments).
SCRATCH_PREFIX = ".scratch-"


def make_schema() -> Schema:
    prose = text_analyzer()
    names = name_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED(),
        title=TEXT(analyzer=prose, stored=True, field_boost=2.0, spelling=True),
        body=TEXT(analyzer=prose, stored=True, spelling=True),
        source=TEXT(analyzer=names, stored=True),
        source_key=ID(),
        author=TEXT(analyzer=names, stored=True),
        date=DATETIME(stored=True, sortable=True),
        url=STORED(),
        people=TEXT(analyzer=names),
        places=TEXT(analyzer=names),
        organisations=TEXT(analyzer=names),
        agreements=TEXT(analyzer=names),
        entities=STORED(),
        content_hash=STORED(),
    )


class IndexUnusable(Exception):
    """The index cannot be used; the message is one line for the user."""


class IndexDamaged(IndexUnusable):
    """Reading the index failed while it ran a query that parsed: its files are damaged.

    Never the user's query. :meth:`reader.index.corpus_index.CorpusIndex.mark_damaged`
    records it so that the next start rebuilds the index from the articles.
    """
