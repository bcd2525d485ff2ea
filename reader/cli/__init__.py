"""The command line: ``reader`` and its subcommands.

Owns: :mod:`~reader.cli.main` (the parser, ``main()`` and the article and search
commands), :mod:`~reader.cli.common` (``CliError`` and opening the index, shared by
every command module), :mod:`~reader.cli.entities`, :mod:`~reader.cli.highlights`
(highlight and export commands) and :mod:`~reader.cli.output` (tables and results
for a terminal or a pipe). Command modules import :mod:`~reader.cli.common`, never
each other.
May import: the core (:mod:`reader.corpus`, :mod:`reader.index`,
:mod:`reader.search`, :mod:`reader.entities`, :mod:`reader.highlights`,
:mod:`reader.export`), Rich, :mod:`reader.app` to start the app and
:mod:`reader.bench` for ``reader bench``.
"""
