"""Small, contained fixes to whoosh-reloaded 2.7.5 internals, applied once.

Each patch says what it fixes and is checked by ``tests/test_index.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from reader.corpus.streaming import BodyParts, Pieces

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _cache_missing_length_columns()
    _read_compound_files_in_place()
    _positions_in_arrays()
    _spelling_words_as_a_set()
    _pickle_big_stored_fields_in_pieces()


def _cache_missing_length_columns() -> None:
    """``W3PerDocReader._cached_reader`` caches the length column of a field but not
    its absence, so for fields without lengths (the spelling fields) every posting
    written costs a ``stat()`` of a file that does not exist: a third of the index
    build time in a profile of 1,000 news articles. Cache the absence too."""
    from whoosh.codec import whoosh3

    reader_class = whoosh3.W3PerDocReader

    def _cached_reader(self, fieldname, column):  # type: ignore[no-untyped-def]
        try:
            return self._readers[fieldname]
        except KeyError:
            pass
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader

    reader_class._cached_reader = _cached_reader


class MemoryFile:
    """A read-only file over a memoryview: reads copy only the bytes asked for.

    ``io.BytesIO(memoryview)`` copies the whole view first.
    """

    __slots__ = ("_pos", "_view", "closed")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(end, start)
        return bytes(self._view[start:end])

    def readinto(self, target: bytearray | memoryview) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        end = len(view) if size is None or size < 0 else min(start + size, len(view))
        n = start
        while n < end:
            n += 1
            if view[n - 1] == 10:  # b"\n"
                break
        self._pos = n
        return bytes(view[start:n])

    def __iter__(self):  # type: ignore[no-untyped-def]
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self.closed = True


def _read_compound_files_in_place() -> None:
    """A file inside a compound segment (the ``.seg`` Whoosh writes) is opened as a
    ``BufferFile`` over the mapped segment, which wraps it in ``BytesIO``: a full copy.
    Every searcher copied every segment's term index that way: 130 MB and 0.15 s for
    10,000 news articles, on each opening. Read from the mapping instead."""
    from whoosh.filedb import structfile

    def __init__(self, buf, name=None, onclose=None):  # type: ignore[no-untyped-def]
        self._buf = buf
        self._name = name
        self.file = MemoryFile(memoryview(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    structfile.BufferFile.__init__ = __init__


#: A position delta this big or bigger is kept as three items of an ``array("H")``:
#: this mark, then its upper and lower 16 bits.
_WIDE = 0xFFFF


def _deltas(found: Any) -> list[int]:
    """The position deltas kept in ``found``, an ``array("H")``."""
    values = found.tolist()
    if _WIDE not in found:
        return values
    out, n = [], 0
    while n < len(values):
        value = values[n]
        if value == _WIDE:
            value = (values[n + 1] << 16) | values[n + 2]
            n += 2
        out.append(value)
        n += 1
    return out


def _positions_in_arrays() -> None:
    """``Positions.word_values`` (the postings of ``title`` and ``body``) kept every
    position of a document in lists of Python ints (36 bytes each) until its last
    token: 3.4 million of them in a 20 MB article, about 120 MB. Keep each word's
    position deltas in an ``array("H")`` instead (2 bytes each; the rare delta of
    65,535 or more in three), and let go of each word's as its postings are made;
    the postings written are byte for byte the same (``encode``'s pickle of the
    list of deltas)."""
    from array import array

    from whoosh import formats
    from whoosh.system import pack_uint

    def word_values(self, value, analyzer, **kwargs):  # type: ignore[no-untyped-def]
        fb = self.field_boost
        deltas: dict[str, array] = {}
        last: dict[str, int] = {}
        weights: dict[str, float] = {}
        kwargs["positions"] = True
        kwargs["boosts"] = True
        for t in _tokens(value, analyzer, kwargs):
            text, pos = t.text, t.pos
            found = deltas.get(text)
            if found is None:
                deltas[text] = found = array("H")
                weights[text] = t.boost
                delta = pos
            else:
                delta = pos - last[text]
                weights[text] += t.boost
            last[text] = pos
            if delta < _WIDE:
                found.append(delta)
            else:
                found.extend((_WIDE, delta >> 16, delta & 0xFFFF))
        for word in list(deltas):
            values = _deltas(deltas.pop(word))
            encoded = pack_uint(len(values)) + formats.dumps(values, 2)
            yield (word, len(values), weights[word] * fb, encoded)

    formats.Positions.word_values = word_values


def _tokens(value: Any, analyzer: Any, kwargs: dict[str, Any]) -> Any:
    """``formats.tokens`` of a field value; a body in parts
    (:class:`~reader.corpus.streaming.BodyParts`) is analysed a piece at a time
    (:func:`_between_words`), with the tokens and positions of the whole text.
    After the first kept token each position is the one before plus one, as the
    ``StopFilter`` renumbers them (the text analyzer's stop words leave no gaps);
    the first keeps its place among all the tokens before it."""
    from whoosh import formats

    if not isinstance(value, BodyParts):
        yield from formats.tokens(value, analyzer, kwargs)
        return
    tokenizer = analyzer.items[0] if hasattr(analyzer, "items") else analyzer
    last = None
    before = 0  # tokens before the first kept one
    for text in _between_words(value):
        for token in formats.tokens(text, analyzer, {**kwargs, "start_pos": before}):
            if last is None:
                last = token.pos
            else:
                last += 1
                token.pos = last
            yield token
        if last is None:
            before += sum(1 for _ in tokenizer(text))


#: What follows a text's last white space (all of it when it has none).
_LAST_WORD = re.compile(r"\S*\Z")


def _between_words(parts: BodyParts) -> Iterator[str]:
    """The text of ``parts`` in pieces cut at white space, which no token holds.
    A window is cut at white space too, except where it had none for half its
    length (:func:`reader.support.windows.cut`): what follows a piece's last white
    space goes with the next piece."""
    carried = ""
    for text in parts.texts():
        tail = _LAST_WORD.search(text).start()  # type: ignore[union-attr]
        if tail == 0:
            carried += text
            continue
        yield carried + text[:tail]
        carried = text[tail:]
    if carried:
        yield carried


def _spelling_words_as_a_set() -> None:
    """``FieldType.spellable_words`` listed every word of a document (a string
    object each, 2.9 million for a 20 MB article) before keeping the distinct ones;
    collect them in a set as they come, a part at a time for a body in parts.
    Same words, same order."""
    from whoosh import fields

    def spellable_words(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, BodyParts):
            words: set[str] = set()
            for text in _between_words(value):
                words.update(token.text for token in self.analyzer(text, no_morph=True))
            return iter(sorted(words))
        if isinstance(value, (list, tuple)):
            return iter(sorted(set(value)))
        return iter(sorted({token.text for token in self.analyzer(value, no_morph=True)}))

    fields.FieldType.spellable_words = spellable_words


#: A document whose stored text is longer than this is pickled a piece at a time.
BIG_STORED_CHARS = 1 << 20
#: Characters of a long string encoded (then compressed and written) at a time.
_ENCODE_CHARS = 1 << 16


def pickle_in_pieces(fields: dict[str, Any], write: Callable[[bytes], object]) -> bool:
    """Write a pickle (protocol 2) of ``fields`` through ``write`` a piece at a time.

    ``pickle.loads`` of the pieces joined is ``fields``, a body in parts
    (:class:`~reader.corpus.streaming.Pieces`) read back as one string; a string value goes as
    its UTF-8 64 K characters at a time (``pickle`` encodes a
    string whole: for a 20 MB body, 20 MB of UTF-8 at once, up to three times
    that while it is encoded). The other values are pickled each alone without
    the memo (``fast``), so that no value refers to another's memo entry. Returns
    False, having written nothing, for a dict whose keys are not all strings or
    whose strings are too long for a 4-byte length.
    """
    import io
    import pickle
    import struct

    if not all(isinstance(key, str) for key in fields):
        return False
    lengths = {}
    for key, value in fields.items():
        if isinstance(value, Pieces):
            lengths[key] = value.utf8_length
        elif type(value) is str:
            lengths[key] = _utf8_length(value)
            if lengths[key] > 0xFFFFFFFF:
                return False

    def string(text: str | Pieces, size: int) -> None:
        write(b"X" + struct.pack("<I", size))
        if isinstance(text, Pieces):
            for piece in text.pieces():
                write(piece)
            return
        for start in range(0, len(text), _ENCODE_CHARS):
            write(text[start : start + _ENCODE_CHARS].encode("utf-8", "surrogatepass"))

    write(b"\x80\x02}(")  # PROTO 2, EMPTY_DICT, MARK
    for key, value in fields.items():
        string(key, _utf8_length(key))
        if key in lengths:
            string(value, lengths[key])
        else:
            out = io.BytesIO()
            pickler = pickle.Pickler(out, 2)
            pickler.fast = True  # no memo: each value stands alone
            pickler.dump(value)
            write(out.getvalue()[2:-1])  # without its PROTO and STOP
    write(b"u.")  # SETITEMS, STOP
    return True


def _utf8_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(
        len(text[start : start + _ENCODE_CHARS].encode("utf-8", "surrogatepass"))
        for start in range(0, len(text), _ENCODE_CHARS)
    )


def _pickle_big_stored_fields_in_pieces() -> None:
    """A document's stored fields are pickled (protocol 2) into one bytes object,
    then compressed, then written: for a 20 MB article the pickle buffer grown by
    doubling, the pickle and its compressed copy at once. A document with more than
    :data:`BIG_STORED_CHARS` of stored text is pickled by :func:`pickle_in_pieces`
    into a zlib compressor, each compressed piece written to the column as it comes:
    the same kind of value (a zlib stream of a pickle), read the same way by Whoosh
    (``zlib.decompress``, then ``pickle.loads``). Small documents are written as before."""
    import zlib

    from whoosh import columns

    compressed_writer = columns.CompressedBytesColumn.Writer
    pickle_writer = columns.PickleColumn.Writer
    add = pickle_writer.add

    def big(value: object) -> bool:
        if not isinstance(value, dict):
            return False
        return (
            sum(
                v.chars if isinstance(v, Pieces) else len(v)
                for v in value.values()
                if isinstance(v, str | Pieces)
            )
            > BIG_STORED_CHARS
        )

    def whole(value: Any) -> Any:
        """``value`` with texts in pieces made strings, to be pickled as Whoosh does."""
        if not isinstance(value, dict):
            return value
        return {k: v.text() if isinstance(v, Pieces) else v for k, v in value.items()}

    def add_big(self, docnum, v):  # type: ignore[no-untyped-def]
        child = self._child
        if (
            type(child) is not compressed_writer
            or getattr(child._compress, "__module__", None) != "zlib"
            or not big(v)
        ):
            return add(self, docnum, whole(v))
        # VarBytesColumn.Writer.add, with the value written a piece at a time.
        child.fill(docnum)
        compressor = zlib.compressobj(child._level)
        dbfile = child._dbfile
        written = 0

        def write(data: bytes) -> None:
            nonlocal written
            piece = compressor.compress(data)
            if piece:
                dbfile.write(piece)
                written += len(piece)

        if not pickle_in_pieces(v, write):  # then it wrote nothing
            return add(self, docnum, whole(v))
        tail = compressor.flush()
        dbfile.write(tail)
        written += len(tail)
        child._lengths.append(written)
        child._offsets.append(child._offset_base)
        child._offset_base += written
        child._count = docnum + 1
        return None

    pickle_writer.add = add_big
