"""Decode an article file's bytes, or say why it cannot be loaded.

Shared by :func:`reader.corpus.articles.load` (a file read whole) and
:mod:`reader.corpus.streaming` (a big file read a block at a time).
"""

from __future__ import annotations

import codecs


class ArticleError(Exception):
    """An article file that cannot be loaded; the message is the reason."""


#: Bytes looked at to tell a binary file (:func:`looks_binary`).
SAMPLE_BYTES = 8192

#: Byte-order marks and the encodings they announce, longest first.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode an article file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a
    BOM, else Windows-1252/Latin-1 with a warning. Binary files are refused."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError as error:
                raise ArticleError(
                    f"starts with a {encoding} mark but is not {encoding}: {error.reason}"
                ) from None
    if looks_binary(data):
        raise ArticleError("binary file, not text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ["not UTF-8; decoded as Windows-1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), ["not UTF-8; decoded as Latin-1"]


def looks_binary(data: bytes) -> bool:
    """Whether ``data``, a file's first bytes, are not text (NULs or controls)."""
    sample = data[:SAMPLE_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        # Text with a stray NUL is still text; mostly-NUL or many controls is not.
        nuls = sample.count(b"\x00")
        if nuls > len(sample) // 100 + 1:
            return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) // 10
