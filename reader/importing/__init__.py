"""Where articles come in from outside: saved pages, URLs, feeds and read-later exports.

Owns: :mod:`~reader.importing.extract` (an HTML page to a clean Markdown article
with its title, author, date and site), :mod:`~reader.importing.fetch` (the careful
HTTP client: http(s) only, timeouts, redirects, retries, a size cap),
:mod:`~reader.importing.feeds` (RSS, Atom, JSON Feed, OPML and newsboat ``urls``
files), :mod:`~reader.importing.exports` (Pocket CSV, wallabag JSON, Omnivore zip),
:mod:`~reader.importing.store` (writing articles into a corpus folder without
duplicates), :mod:`~reader.importing.pipeline` (a list of sources to results, one
per item) and :mod:`~reader.importing.subscriptions` (the feeds a user follows).
May import: :mod:`reader.support`, :mod:`reader.corpus`.
"""
