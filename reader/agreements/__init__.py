"""Agreements across the corpus: one record per agreement, however many articles report it.

The recognizer gives each article its agreement records
(:mod:`reader.entities.agreements`); this package merges them across articles
(:mod:`reader.agreements.records`), applies the user's corrections, which win
over recognition (:mod:`reader.agreements.corrections`, a file next to the
highlights, written atomically under a lock) and keeps the merged list beside
the index, keyed to the index's version, so listing them costs a file read
(:mod:`reader.agreements.catalog`).

May import: support, corpus, entities, index.
"""
