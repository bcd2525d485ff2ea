"""Every article's stored fields without its body, for the tables built from them.

The entity table and the agreements catalogue read the stored fields of every
document after an update, for the entities, the title and the date. Whoosh keeps
all the stored fields of a document in one zlib stream of a pickle, so reading
any of them decompressed the whole pickle and decoded the body: for a 20 MB
article, the compressed value, the pickle (the body's UTF-8 and the entities)
and the body as a string of up to 4 bytes a character, twice, each time one
of them was built.

:func:`without_body` reads a big document's pickle as it decompresses it, a
piece at a time, and copies it minus the body's text, which it keeps only up to
its first line that is not blank, or its first 16 KB (enough for
:func:`reader.corpus.articles.derive_title`); the copy is then unpickled as
usual. Only strings of 64 KiB or more are cut: a pickle writes those outside
its frames (protocol 4) and needs no other change to stay valid. Stored entities
of 1 MB or more are cut too, and read an entity at a time as they decompress
(:func:`_read_entities`), so that their JSON is never held whole either.
"""

from __future__ import annotations

import codecs
import json
import pickle
import pickletools
import zlib
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from whoosh import columns
from whoosh.codec.whoosh3 import STORED_COLUMN, W3PerDocReader
from whoosh.searching import Searcher

from reader.corpus.articles import TITLE_CHARS
from reader.index.documents import BIG_ENTITIES_CHARS, LoadedEntities, compact_entities

#: A document whose compressed stored fields are longer than this is read without
#: its body (a body of some 200 KB or more); smaller ones are read whole, as Whoosh does.
SKIM_BYTES = 1 << 16
#: A string pickled with at least this many bytes is outside any frame (pickle's
#: ``_FRAME_SIZE_TARGET``); shorter ones may be inside one, and are never cut.
UNFRAMED_BYTES = 64 * 1024
#: How much of a cut body is looked at for its first line.
HEAD_BYTES = 16 * 1024
#: Bytes decompressed at a time.
_PIECE = 1 << 14

_STRING_WIDTHS = {"SHORT_BINUNICODE": 1, "BINUNICODE": 4, "BINUNICODE8": 8}
_MEMO_OPS = frozenset({"BINPUT", "LONG_BINPUT", "MEMOIZE", "PUT"})


def without_body(searcher: Searcher) -> Iterator[dict[str, Any]]:
    """The stored fields of every live document, in order, as
    ``searcher.all_stored_fields()`` gives them, except that ``"body"`` may be only
    the beginning of the body, through its first line that is not blank."""
    for leaf, _base in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        column = None
        if isinstance(perdoc, W3PerDocReader):
            column = perdoc._cached_reader("_stored", STORED_COLUMN)
        compressed = getattr(column, "_child", None)
        if not isinstance(compressed, columns.CompressedBytesColumn.Reader):
            compressed = None
        # The compressed length of each document, when the column knows it: most are
        # small and read as Whoosh reads them, without looking at their bytes twice.
        lengths = getattr(compressed, "_lengths", None)
        is_deleted = leaf.is_deleted
        for docnum in range(leaf.doc_count_all()):
            if is_deleted(docnum):
                continue
            fields = None
            small = lengths is not None and lengths[docnum] <= SKIM_BYTES
            if compressed is not None and not small:
                raw = _compressed_value(compressed, docnum)
                if len(raw) > SKIM_BYTES:
                    fields = _skimmed(raw)
                if isinstance(raw, memoryview):
                    # Let go of the mapped segment now (a view left would stop its closing).
                    with suppress(BufferError):
                        raw.release()
                del raw
            yield fields if fields is not None else leaf.stored_fields(docnum)


def _compressed_value(column: Any, docnum: int) -> bytes | memoryview:
    """``VarBytesColumn.Reader.__getitem__``: the compressed stored fields of a
    document; a view of them, not a copy, when the segment is mapped in memory."""
    dbfile = column._dbfile
    buffer = getattr(dbfile, "_buf", None)  # a BufferFile: a file in a compound segment
    lengths, offsets = getattr(column, "_lengths", None), getattr(column, "_offsets", None)
    if buffer is None or lengths is None or offsets is None or not lengths[docnum]:
        return columns.VarBytesColumn.Reader.__getitem__(column, docnum)
    start = column._basepos + offsets[docnum]
    return memoryview(buffer)[start : start + lengths[docnum]]


def _skimmed(raw: bytes | memoryview) -> dict[str, Any] | None:
    """The stored fields in ``raw`` with the body cut, or None when that cannot be
    done exactly (then the caller reads them whole)."""
    try:
        cut = _cut_body(_Inflating(raw))
        if cut is None:
            return None
        copy, entities = cut
        fields = pickle.loads(copy)
    except Exception:  # anything unexpected: read the document as Whoosh does
        return None
    if not isinstance(fields, dict):
        return None
    body = fields.get("body")
    if isinstance(body, str) and not _titles_alike(body):
        return None
    if entities is not None:
        fields["entities"] = entities
    return fields


def _titles_alike(head: str) -> bool:
    """Whether ``derive_title(head)`` is ``derive_title`` of every text ``head`` begins:
    the head holds a whole line that is not blank, or its last line, less its last
    word (perhaps cut), is already longer than a title."""
    lines = head.split("\n")
    if any(line.split() for line in lines[:-1]):
        return True
    return len(" ".join(lines[-1].split()[:-1])) > TITLE_CHARS


def _cut_body(source: _Inflating) -> tuple[bytearray, LoadedEntities | None] | None:
    """A copy of the pickle with a long string after the key ``"body"`` cut to its
    head (its first line that is not blank, or :data:`HEAD_BYTES`), and a string of
    :data:`BIG_ENTITIES_CHARS` bytes or more after the key ``"entities"`` read as it
    decompresses (:func:`_read_entities`) and left empty in the copy."""
    out = bytearray()
    entities = None
    after_key: bytes | None = None
    while True:
        code = source.read(1)
        if not code:
            return None
        op = pickletools.code2op[code.decode("latin-1")]
        out += code
        width = _STRING_WIDTHS.get(op.name)
        if width is not None:
            size_bytes = source.read(width)
            size = int.from_bytes(size_bytes, "little")
            if after_key == b"body" and size >= UNFRAMED_BYTES:
                looked_at = source.read(min(size, HEAD_BYTES))
                source.skip(size - len(looked_at))
                head = _head(looked_at)
                out += len(head).to_bytes(width, "little") + head
                after_key = None
            elif after_key == b"entities" and size >= max(UNFRAMED_BYTES, BIG_ENTITIES_CHARS):
                entities = _read_entities(source, size)  # megabytes in a huge article
                out += (0).to_bytes(width, "little")
                after_key = None
            else:
                out += size_bytes
                source.copy_to(out, size)
                after_key = bytes(out[-size:]) if size in (4, 8) else None
            continue
        if op.arg is not None:
            # pickletools' own reader of the argument, on a copy of what it reads.
            recording = _Recording(source)
            op.arg.reader(recording)
            out += recording.seen
        if op.name == "STOP":
            return out, entities
        if op.name not in _MEMO_OPS:
            after_key = None


#: Characters of stored entities decoded at a time, at least.
_ENTITY_CHARS = 1 << 16


def _read_entities(source: _Inflating, size: int) -> LoadedEntities:
    """The next ``size`` bytes of ``source``, the UTF-8 of a stored entities JSON
    (a list of objects), read as :func:`~reader.index.documents.load_entities` reads
    it with agreements' mentions whole, an object at a time as it decompresses: the
    JSON is never held whole, neither its bytes nor its text. Raises ``ValueError``
    when it does not parse."""
    decoder = json.JSONDecoder(object_pairs_hook=compact_entities(("agreement",)))
    utf8 = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    found = LoadedEntities()
    text, pos, left, want = "", 0, size, _ENTITY_CHARS
    opened = False
    while True:
        if left:  # what is left of the text, and more
            data = source.read(min(left, want))
            if not data:
                raise ValueError("the stored entities end early")
            left -= len(data)
            text = text[pos:] + utf8.decode(data, final=not left)
            pos = 0
        while True:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos == len(text):
                break
            if not opened:
                if text[pos] != "[":
                    raise ValueError("the stored entities are not a list")
                opened, pos = True, pos + 1
                continue
            if text[pos] == "]":
                if left or text[pos + 1 :].strip():
                    raise ValueError("the stored entities go on after their list")
                return found
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError:
                if not left:
                    raise
                want = max(want, 2 * (len(text) - pos))  # a long object: read more at once
                break
            want = _ENTITY_CHARS
            found.append(value)
        if not left:
            raise ValueError("the stored entities end early")


def _head(data: bytes) -> bytes:
    """``data`` through its first line that is not blank, else all of it, ending
    on a whole UTF-8 character."""
    end = len(data)
    while end and (data[end - 1] & 0xC0) == 0x80:
        end -= 1
    if end and data[end - 1] >= 0xC0:
        end -= 1  # the first byte of a character whose other bytes were cut
    text = data[:end].decode("utf-8", "surrogatepass")
    start = 0
    while (stop := text.find("\n", start)) >= 0:
        if text[start:stop].split():
            return text[: stop + 1].encode("utf-8", "surrogatepass")
        start = stop + 1
    return data[:end]


class _Recording:
    """Reads from a source and keeps a copy of what was read."""

    def __init__(self, source: _Inflating) -> None:
        self._source = source
        self.seen = bytearray()

    def read(self, size: int) -> bytes:
        data = self._source.read(size)
        self.seen += data
        return data

    def readline(self) -> bytes:
        data = self._source.readline()
        self.seen += data
        return data


class _Inflating:
    """Reads a zlib stream as it decompresses it, never holding more than a piece."""

    def __init__(self, raw: bytes | memoryview) -> None:
        self._raw = memoryview(raw)
        self._pos = 0
        self._inflate = zlib.decompressobj()
        self._buffer = bytearray()

    def _more(self) -> bool:
        inflate = self._inflate
        while True:
            if inflate.unconsumed_tail:
                data = inflate.decompress(inflate.unconsumed_tail, _PIECE)
            elif self._pos < len(self._raw):
                piece = self._raw[self._pos : self._pos + _PIECE]
                self._pos += _PIECE
                data = inflate.decompress(piece, _PIECE)
            else:
                return False
            if data:
                self._buffer += data
                return True

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size and self._more():
            pass
        with memoryview(self._buffer) as view:
            data = bytes(view[:size])
        del self._buffer[:size]
        return data

    def readline(self) -> bytes:
        while b"\n" not in self._buffer and self._more():
            pass
        end = self._buffer.find(b"\n")
        return self.read(end + 1 if end >= 0 else len(self._buffer))

    def copy_to(self, out: bytearray, size: int) -> None:
        """Append the next ``size`` bytes to ``out``, a piece at a time."""
        while size > 0:
            if not self._buffer and not self._more():
                return
            taken = min(size, len(self._buffer))
            with memoryview(self._buffer) as view:
                out += view[:taken]
            del self._buffer[:taken]
            size -= taken

    def skip(self, size: int) -> None:
        while size > 0:
            if not self._buffer and not self._more():
                return
            taken = min(size, len(self._buffer))
            del self._buffer[:taken]
            size -= taken
