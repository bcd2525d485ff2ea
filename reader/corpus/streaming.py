"""Read a big article file a window at a time: its whole text is never held.

Reading a file whole holds its bytes, then its text, then its body as one string
(two or four bytes a character as soon as one character is past Latin-1): for a
20 MB file, 60 MB before anything else. Indexing does not need the body whole:
entity recognition reads it a window at a time anyway, and Whoosh can analyse
and store it a piece at a time (:mod:`reader.index.whoosh_patches`). Loading an
article (:func:`reader.corpus.articles.load`) needs its body, but reads a big
file this way too, holding only the body's UTF-8, then the body.

:class:`StreamedFile` reads the file a block at a time and gives the body as
consecutive windows cut exactly as :func:`reader.support.windows.windows` cuts
the whole body, each window made as loading the whole file would make it
(line ends, stripping, control characters neutralised). Each window is
compressed into a temporary file (:class:`Spill`) and the :class:`BodyParts`
that point to them are what the index writes as the body. The
result is the same article, the same entities and the same index document as
loading the file whole. A file that is not plainly UTF-8, or whose front matter
is not whole in its head, raises :class:`NotStreamable`: load it whole instead,
for the same result or error.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from reader.corpus import frontmatter
from reader.corpus.decoding import BOMS, SAMPLE_BYTES, ArticleError, looks_binary
from reader.corpus.scanning import SourceFile, os_reason
from reader.support.regular import NotRegularFile, TooLarge, regular_blocks
from reader.support.textsafe import neutralize, normalize_newlines
from reader.support.windows import cut

__all__ = ["STREAM_BYTES", "BodyParts", "NotStreamable", "Pieces", "Spill", "StreamedFile"]

#: Files this big or bigger are indexed a window at a time.
STREAM_BYTES = 1 << 20
#: Bytes read at a time.
_BLOCK_BYTES = 1 << 18
#: Characters read before the front matter is split off: all of it, when it is usable.
_HEAD_CHARS = frontmatter.MAX_FRONT_MATTER_CHARS + (64 << 10)
#: zlib level of the windows kept: the fastest; they are compressed again when stored.
_LEVEL = 1


class NotStreamable(Exception):
    """The file cannot be read a window at a time; load it whole for its result or error."""


class Pieces(tuple[bytes, ...]):
    """A long text as consecutive pieces of UTF-8, each compressed with zlib: the
    body (:class:`BodyParts`) and the stored entities of a big file.

    A tuple, so that Whoosh takes it as a field value; the index's patches
    (:mod:`reader.index.whoosh_patches`) store it a piece at a time, and it is read
    back from the index as one string.
    """

    chars: int
    utf8_length: int
    #: Where parts given as ``(offset, length)`` are (see :class:`Spill`).
    spill: Spill | None

    def __new__(
        cls,
        parts: tuple[Any, ...] = (),
        chars: int = 0,
        utf8_length: int = 0,
        spill: Spill | None = None,
    ) -> Any:
        made = super().__new__(cls, parts)
        made.chars = chars
        made.utf8_length = utf8_length
        made.spill = spill
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        # To another process: the parts themselves (a temporary file is this one's).
        parts = tuple(self._compressed())
        return (type(self), (parts, self.chars, self.utf8_length))

    def _compressed(self) -> Iterator[bytes]:
        for part in self:
            if isinstance(part, bytes):
                yield part
            else:
                assert self.spill is not None
                yield self.spill.read(*part)

    @classmethod
    def of(cls, texts: Iterable[str], size: int = 1 << 18) -> Any:
        """The text ``texts`` make one after another, compressed ``size`` characters
        or so at a time (each text is let go of once compressed)."""
        parts: list[bytes] = []
        chars = utf8_length = 0
        held: list[str] = []
        count = 0

        def compress() -> None:
            nonlocal chars, utf8_length, count
            data = "".join(held).encode("utf-8")
            parts.append(zlib.compress(data, _LEVEL))
            chars += count
            utf8_length += len(data)
            held.clear()
            count = 0

        for text in texts:
            held.append(text)
            count += len(text)
            if count >= size:
                compress()
        if held:
            compress()
        return cls(tuple(parts), chars, utf8_length)

    def pieces(self) -> Iterator[bytes]:
        """The text's UTF-8, a piece at a time."""
        for part in self._compressed():
            yield zlib.decompress(part)

    def texts(self) -> Iterator[str]:
        """The text, a piece at a time."""
        for piece in self.pieces():
            yield piece.decode("utf-8")

    def text(self) -> str:
        """The whole text."""
        return "".join(self.texts())


class Spill:
    """A temporary file (deleted when closed, or when the process ends) that keeps
    a streamed body's compressed windows until the index has written them: the
    body is then held nowhere in memory. Without a usable temporary folder, or once
    writing to it fails, :meth:`keep` gives the bytes back to be held instead.

    Unbuffered: a part is given as ``(offset, length)`` only once it is in the file.
    """

    def __init__(self) -> None:
        self._file: Any = None
        self._end = 0
        self._failed = False

    def keep(self, data: bytes) -> bytes | tuple[int, int]:
        """``(offset, length)`` of ``data`` once written, or ``data`` itself."""
        if self._failed:
            return data
        try:
            if self._file is None:
                # Open as long as the body is held: closed with it (then deleted).
                self._file = tempfile.TemporaryFile(prefix="reader-body-", buffering=0)  # noqa: SIM115
            written = self._file.write(data)
        except OSError:
            written = None
        if written != len(data):
            self._failed = True  # what was written before stays readable
            return data
        offset = self._end
        self._end += len(data)
        return offset, len(data)

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._file.fileno(), length, offset)


class BodyParts(Pieces):
    """An article body as its consecutive windows, one part each: the pieces Whoosh
    analyses (a word cut by a window's end is put back together first)."""


class StreamedFile:
    """One big article file, read a block at a time.

    Opening reads the head and its front matter (:attr:`meta`); :meth:`windows`
    then reads the rest. After the windows, :attr:`body` and :attr:`content_hash`
    hold the body (compressed) and its hash. Raises
    :class:`~reader.corpus.decoding.ArticleError` for a file that cannot be
    loaded at all, and :class:`NotStreamable` (even from :meth:`windows`) for a
    file to load whole instead.
    """

    def __init__(self, source: SourceFile, limit: int) -> None:
        self.source = source
        self.body = BodyParts()
        self.content_hash = ""
        self._pieces = _decoded(source.location, limit)
        try:
            head, ended = _head(self._pieces)
        except FileNotFoundError:
            raise ArticleError("the file disappeared before it could be read") from None
        except (NotRegularFile, TooLarge):
            raise NotStreamable from None  # load() says it as it always has
        except OSError as error:
            raise ArticleError(os_reason(error)) from None
        meta: dict[str, Any] | None = None
        rest = head
        if head.startswith("---"):
            try:
                meta, rest, _ = frontmatter.split(head)
            except frontmatter.FrontMatterError:
                raise NotStreamable from None
            start = len(head) - len(rest)
            if meta is not None and not ended and head[start - 1 : start] != "\n":
                raise NotStreamable  # the closing line may go on past the head
        self.meta = meta
        self._rest = rest

    def windows(self, size: int, *, keep: bool = True) -> Iterator[tuple[int, str]]:
        """``(start, text)`` of the body's consecutive windows of at most ``size``
        characters. With ``keep``, each is kept compressed in :attr:`body` as it is
        given; without, :attr:`body` stays empty (the caller keeps the text)."""
        digest = hashlib.sha256()
        parts: list[bytes | tuple[int, int]] = []
        spill = Spill()
        chars = utf8_length = 0
        has_text = False

        def kept(text: str) -> tuple[int, str]:
            nonlocal chars, utf8_length
            data = text.encode("utf-8")
            digest.update(data)
            if keep:
                parts.append(spill.keep(zlib.compress(data, _LEVEL)))
            start = chars
            chars += len(text)
            utf8_length += len(data)
            return start, text

        buffer = ""
        for piece in _body_pieces(self._rest, self._pieces):
            piece = neutralize(piece)  # a form feed is white space, its symbol is not
            has_text = has_text or not piece.isspace()
            buffer += piece
            start = 0
            while len(buffer) - start > size:
                end = cut(buffer, start, size)
                yield kept(buffer[start:end])
                start = end
            buffer = buffer[start:]
        if not has_text and not self.meta:
            raise ArticleError("the file is empty")
        if buffer:
            yield kept(buffer)
        self.body = BodyParts(tuple(parts), chars, utf8_length, spill)
        self.content_hash = "sha256:" + digest.hexdigest()


def _decoded(location: str, limit: int) -> Iterator[str]:
    """The file's text a block at a time, line ends made LF, as ``load`` decodes it
    when it is UTF-8 (the UTF-8 mark dropped). Raises :class:`NotStreamable` for a
    file ``load`` decodes another way, or :class:`ArticleError` for a binary one."""
    blocks = regular_blocks(location, limit, _BLOCK_BYTES)
    data = next(blocks, b"")  # errors of opening: the caller's to tell
    while len(data) < SAMPLE_BYTES and (more := _next_block(blocks)) is not None:
        data += more  # a short read: load() looks at the file's first bytes
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif any(data.startswith(bom) for bom, _ in BOMS):
        raise NotStreamable  # UTF-16 or UTF-32
    elif looks_binary(data):
        raise ArticleError("binary file, not text")
    decoder = codecs.getincrementaldecoder("utf-8")()
    carried = ""  # a CR at a block's end: the next block may start with its LF
    while True:
        more = _next_block(blocks)
        try:
            text = carried + decoder.decode(data, final=more is None)
        except UnicodeDecodeError:
            raise NotStreamable from None  # load() decodes it as Windows-1252
        carried = ""
        if more is not None and text.endswith("\r"):
            carried, text = "\r", text[:-1]
        yield normalize_newlines(text)
        if more is None:
            return
        data = more


def _next_block(blocks: Iterator[bytes]) -> bytes | None:
    """The next block of the file, or None at its end."""
    try:
        return next(blocks, None)
    except TooLarge:
        raise NotStreamable from None  # grew past the limit: load() says so
    except OSError as error:
        raise ArticleError(os_reason(error)) from None


def _head(pieces: Iterator[str]) -> tuple[str, bool]:
    """The first :data:`_HEAD_CHARS` characters or more, and whether the file ended."""
    head = []
    held = 0
    for piece in pieces:
        head.append(piece)
        held += len(piece)
        if held >= _HEAD_CHARS:
            return "".join(head), False
    return "".join(head), True


def _body_pieces(rest: str, pieces: Iterator[str]) -> Iterator[str]:
    """The body after the front matter, as ``load`` makes it: line ends stripped at
    both ends, then one put back at its end. Newlines at the end of what has come
    are held back until text follows them."""
    started = False
    held = ""
    for text in itertools.chain((rest,), pieces):
        if not started:
            text = text.lstrip("\n")
            if not text:
                continue
            started = True
        stripped = text.rstrip("\n")
        if stripped:
            yield held + stripped
            held = text[len(stripped) :]
        else:
            held += text
    if started:
        yield "\n"
