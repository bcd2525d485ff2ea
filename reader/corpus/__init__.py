"""Where articles enter: find the article files of a folder and read them.

Owns: :mod:`~reader.corpus.scanning` (the files of a corpus folder, with what
makes each one a version), :mod:`~reader.corpus.frontmatter` (YAML front matter,
through a safe loader with limits) and :mod:`~reader.corpus.articles` (one file
to an :class:`~reader.corpus.articles.Article`, or a problem saying why not).
May import: :mod:`reader.support`.
"""
