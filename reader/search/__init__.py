"""How the index is searched: queries, ranking, snippets and entity look-ups.

Owns: :mod:`~reader.search.query` (the query language and its errors),
:mod:`~reader.search.engine` (``search()``, its snippets and suggestions),
:mod:`~reader.search.filters` and :mod:`~reader.search.results` (the filters,
and the results with their snippets: plain data, no Whoosh),
:mod:`~reader.search.scoring` (term-at-a-time BM25F evaluation of ranked queries)
and :mod:`~reader.search.entity_queries` (an entity's articles and the entities it
appears with).
May import: :mod:`reader.support`, :mod:`reader.corpus`, :mod:`reader.index`.
"""
