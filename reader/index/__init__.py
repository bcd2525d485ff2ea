"""Where articles are stored: the Whoosh index of a corpus, kept up to date.

Owns: :mod:`~reader.index.corpus_index` (open, update, rebuild; the one
:class:`~reader.index.corpus_index.CorpusIndex`),
:mod:`~reader.index.index_writing` (writing documents under the write lock, in
batches or in segments), :mod:`~reader.index.update_report` (what an update
did), :mod:`~reader.index.schema`
(fields and shared names), :mod:`~reader.index.documents` (what the index stores
of one file, entities included), :mod:`~reader.index.manifest` (which file
versions the index holds), :mod:`~reader.index.prescan` (the scan in a child
process at start-up), :mod:`~reader.index.segments` and
:mod:`~reader.index.writers` (parallel builds), :mod:`~reader.index.analysis`
(tokens and folding), :mod:`~reader.index.entity_table` (the corpus-wide entity
table, one row per entity id), :mod:`~reader.index.stored` (stored fields read
without the body) and :mod:`~reader.index.whoosh_patches`.
May import: :mod:`reader.support`, :mod:`reader.corpus`, :mod:`reader.entities`.
"""
