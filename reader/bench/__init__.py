"""Tools that measure and document the reader; none of them runs in the app.

Owns: :mod:`~reader.bench.run` (``reader bench``: build, start-up, search, memory),
:mod:`~reader.bench.corpus` (test corpora from a news archive),
:mod:`~reader.bench.app_startup` (first paint against a bare Textual app),
:mod:`~reader.bench.app_latency` (keystroke to results in the app),
:mod:`~reader.bench.big_article` (memory and CPU of indexing one huge article) and
:mod:`~reader.bench.screenshots` (the README's screenshots, from the real app).
May import the core and the app, never the command line (which runs ``reader bench``).
"""
