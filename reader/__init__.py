"""reader: study a body of news articles from the terminal.

The package splits by role. The core (``corpus``, ``index``, ``search``,
``entities``, ``highlights``, ``export``) is plain Python that knows nothing of
the screen; ``reader.app`` is the Textual layer over it and ``reader.cli.main`` the
command line.
"""

__version__ = "0.1.0"
