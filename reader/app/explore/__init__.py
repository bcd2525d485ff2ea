"""Explore mode: the results as facets, a timeline, keyword in context, entity pages.

:mod:`~reader.app.explore.data` asks the core (blocking; worker threads only),
:mod:`~reader.app.explore.widgets` draws the views, :mod:`~reader.app.explore.screen`
is the mode itself (one screen, kept while the reader reads, so each mode keeps its
state) and the entity page, :mod:`~reader.app.explore.agreements` the agreements
table, :mod:`~reader.app.explore.navigation` the way back to an article, and
:mod:`~reader.app.explore.export` the export dialog of a view. The counting is the
core's (:mod:`reader.search.facets`, :mod:`reader.search.kwic`); nothing here counts.
"""
