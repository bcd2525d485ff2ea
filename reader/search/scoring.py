"""Run a query term at a time, with Whoosh's scores, fast on a big index.

Whoosh runs a query a document at a time: a tree of matcher objects moves
along the posting lists together and every step is several Python calls. On
100,000 articles a prefix or a fuzzy term that expands to a hundred words, or a
frequent word under an AND, means hundreds of thousands of such steps.

Here each posting list is read once, in one read from the segment's postings
file, and the scores of a segment's documents are summed in a dict: one dict
operation per posting. The scores are Whoosh's own: BM25F with the same
statistics (the same idf, average field length and length bytes) and the same
formula, summed over the parts of an OR, an AND and a phrase as Whoosh sums
them. A NOT inside an AND adds 1.0, as Whoosh's inverse matcher does. Under an
AND, and for the words of a phrase, the smaller parts are read first and the
bigger ones only in the blocks that can hold a document still in the running.
Only then are positions decoded, for the documents holding every word.

Long posting lists (the words half the articles hold, a ``source:`` that
matches nearly all of them) are kept decoded after their first read, within a
fixed budget; the words of a prefix are kept for the next few searches.

What it cannot read itself (a wildcard, say) it asks Whoosh to match in the
segment and reads the matches off the matcher: still exact, at Whoosh's speed.
A query it cannot run at all raises :class:`Unsupported`, and the caller falls
back to Whoosh's collector.

A prefix (``stat*``) scores as the OR of the words it expands to: the BM25 of
each word a document holds, summed. Whoosh scores a prefix that way only in
segments of more than 5,000 documents and gives 1.0 per field in smaller ones,
so its ranking depends on how the index happens to be segmented; here it does
not.
"""

from __future__ import annotations

import bisect
import heapq
import io
import math
import pickle
import struct
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.formats import Positions
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

_LENGTH_BYTES = range(256)
#: Posting lists start with a 4-byte tag (checked by Whoosh's own reader).
_MAGIC_SIZE = 4
#: Each block starts with its length, negative for the last block of a list.
_BLOCK_SIZE = struct.Struct("!i")
#: An encoded position list starts with the number of positions.
_COUNT_SIZE = struct.calcsize("!I")


class Unsupported(Exception):
    """The query holds something this module cannot run; use Whoosh's collector."""


Scores = dict[int, float]


@dataclass(slots=True)
class _Leaf:
    """One segment of the index, as the evaluation sees it."""

    number: int
    searcher: Any
    reader: Any
    offset: int
    terms: Any
    postfile: Any


@dataclass(slots=True)
class _Run:
    """What one evaluation shares across segments: the top searcher and its statistics."""

    searcher: Any
    context: Any
    B: float
    K1: float
    doc_count: int
    #: per prefix query: the words it expands to, per segment, and their document frequency
    expansions: dict[int, Expansion] = field(default_factory=dict)
    norms: dict[str, list[float]] = field(default_factory=dict)
    estimates: dict[int, int] = field(default_factory=dict)


def top_documents(
    searcher: Any, query: wq.Query, limit: int | None, restrict: wq.Query | None = None
) -> tuple[list[tuple[int, float]], int]:
    """The best ``limit`` ``(docnum, score)`` of ``query`` (all with None), best first,
    ties in index order, and how many documents match. Raises Unsupported."""
    run = _start(searcher)
    leaves = _leaves(searcher)
    _prepare(query, run, leaves)
    if restrict is not None:
        _prepare(restrict, run, leaves)
    best: list[tuple[float, int]] = []
    total = 0
    for leaf in leaves:
        scores = _evaluate(query, run, leaf, None)
        if restrict is not None and scores:
            allowed = _evaluate(restrict, run, leaf, sorted(scores))
            scores = {d: s for d, s in scores.items() if d in allowed}
        if scores and leaf.reader.has_deletions():
            deleted = leaf.reader.deleted_docs_set
            scores = {d: s for d, s in scores.items() if d not in deleted}
        total += len(scores)
        if limit is not None and len(scores) > limit:
            # Only documents scoring at least the limit-th best score can be in the top.
            least = heapq.nlargest(limit, scores.values())[-1]
            scores = {d: s for d, s in scores.items() if s >= least}
        offset = leaf.offset
        best.extend((-s, d + offset) for d, s in scores.items())
        best.sort()
        if limit is not None:
            del best[limit:]
    return [(docnum, -negated) for negated, docnum in best], total


def _start(searcher: Any) -> _Run:
    weighting = searcher.weighting
    if type(weighting) is not BM25F or weighting._field_B:
        raise Unsupported("only plain BM25F scores are reproduced")
    return _Run(
        searcher=searcher,
        context=searcher.context(needs_current=True),
        B=weighting.B,
        K1=weighting.K1,
        doc_count=searcher.doc_count_all(),
    )


def _leaves(searcher: Any) -> list[_Leaf]:
    leaves = []
    for number, (subsearcher, offset) in enumerate(searcher.leaf_searchers()):
        reader = subsearcher.reader()
        terms = getattr(reader, "_terms", None)
        if not isinstance(terms, W3TermsReader) or not hasattr(reader, "_perdoc"):
            raise Unsupported("not a whoosh3 segment")
        leaves.append(_Leaf(number, subsearcher, reader, offset, terms, terms._postfile))
    return leaves


# -- preparing: what needs all segments before any is run --------------------------------------


def _prepare(node: wq.Query, run: _Run, leaves: list[_Leaf]) -> None:
    """Expand prefixes in every segment first: their idf needs the sum over segments."""
    if isinstance(node, wq.Prefix):
        if node.fieldname in run.searcher.schema:
            run.expansions[id(node)] = prefix_expansion(
                run.searcher.reader(), node.fieldname, node.text
            )
        return
    if not node.is_leaf():
        for child in node.children():
            _prepare(child, run, leaves)


Expansion = tuple[list[list[tuple[bytes, Any]]], dict[bytes, int]]
_EXPANSIONS: dict[tuple[Any, ...], Expansion] = {}
_EXPANSIONS_KEEP = 32
_EXPANSIONS_LOCK = threading.Lock()


def prefix_expansion(reader: Any, fieldname: str, text: str) -> Expansion:
    """The index words of ``fieldname`` starting with ``text``: for each segment of
    ``reader`` (in order) the words and their term infos, and for each word its
    document frequency over all segments.

    Read once per search from each segment's ordered term dictionary and kept for
    the next few searches (the highlight terms and the matching both need it).
    """
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    prefix = reader.schema[fieldname].to_bytes(text)
    key = (fieldname, prefix, *(getattr(leaf, "_segid", id(leaf)) for leaf in leaves))
    with _EXPANSIONS_LOCK:
        found = _EXPANSIONS.get(key)
    if found is not None:
        return found
    per_leaf: list[list[tuple[bytes, Any]]] = []
    frequency: dict[bytes, int] = {}
    for leaf in leaves:
        words = []
        terms = getattr(leaf, "_terms", None)
        if not isinstance(terms, W3TermsReader):
            raise Unsupported("not a whoosh3 segment")
        if fieldname in terms._fieldmap:
            for (name, word), info in terms.items_from(fieldname, prefix):
                if name != fieldname or not word.startswith(prefix):
                    break
                words.append((word, info))
                frequency[word] = frequency.get(word, 0) + info.doc_frequency()
        per_leaf.append(words)
    result = (per_leaf, frequency)
    with _EXPANSIONS_LOCK:
        while len(_EXPANSIONS) >= _EXPANSIONS_KEEP:
            _EXPANSIONS.pop(next(iter(_EXPANSIONS)))
        _EXPANSIONS[key] = result
    return result


# -- evaluating one segment --------------------------------------------------------------------


def _evaluate(node: wq.Query, run: _Run, leaf: _Leaf, within: list[int] | None) -> Scores:
    """``{docnum: score}`` for ``node`` in ``leaf``; with ``within`` (sorted docnums),
    documents outside it may be left out."""
    kind = type(node)
    if kind is wq.Term:
        return _term(node, run, leaf, within)
    if kind is wq.Or:
        if node.minmatch or node.scale:
            raise Unsupported("a weighted OR")
        # Plain terms add their scores straight into one dict (a fuzzy term is an OR
        # of up to 64 words in each of two fields); the rest are merged in after.
        scores: Scores = {}
        parts = [scores]
        for child in node.subqueries:
            if type(child) is wq.Term and child.boost == 1.0:
                _add_term(scores, child, run, leaf, within)
            else:
                parts.append(_evaluate(child, run, leaf, within))
        return _boosted(_union(parts), node)
    if kind is wq.And:
        return _boosted(_intersection(node.subqueries, run, leaf, within), node)
    if id(node) in run.expansions:
        return _boosted(_prefix(node, run, leaf, within), node)
    if kind is wq.Phrase:
        return _phrase(node, run, leaf, within)
    if kind is wq.Not:
        excluded = _evaluate(node.query, run, leaf, within)
        docs = within if within is not None else range(leaf.reader.doc_count_all())
        return {d: 1.0 for d in docs if d not in excluded}
    if kind is wq.NullQuery.__class__:
        return {}
    if getattr(node, "fast_ids", None) is not None:
        return dict.fromkeys(node.fast_ids(leaf.reader), node.boost)
    return _drain(node, run, leaf)


def _boosted(scores: Scores, node: wq.Query) -> Scores:
    boost = node.boost
    if boost != 1.0:
        return {d: s * boost for d, s in scores.items()}
    return scores


def _union(parts: list[Scores]) -> Scores:
    """The parts summed; every part is a dict made for this evaluation, so the
    biggest is added to in place."""
    parts = [p for p in parts if p]
    if not parts:
        return {}
    parts.sort(key=len, reverse=True)
    total = parts[0]
    get = total.get
    for part in parts[1:]:
        for d, s in part.items():
            total[d] = get(d, 0.0) + s
    return total


def _intersection(
    children: list[wq.Query], run: _Run, leaf: _Leaf, within: list[int] | None
) -> Scores:
    positive = [c for c in children if not isinstance(c, wq.Not)]
    negative = [c for c in children if isinstance(c, wq.Not)]
    if not positive:
        raise Unsupported("an AND of NOTs")
    positive.sort(key=lambda c: _estimate(c, run))
    scores: Scores | None = None
    candidates = within
    for child in positive:
        part = _evaluate(child, run, leaf, candidates)
        if scores is None:
            scores = part
        else:
            scores = {d: s + part[d] for d, s in scores.items() if d in part}
        if not scores:
            return {}
        candidates = sorted(scores)
    assert scores is not None
    for child in negative:
        excluded = _evaluate(child.query, run, leaf, candidates)
        scores = {d: s + 1.0 for d, s in scores.items() if d not in excluded}
        if not scores:
            return {}
    return scores


def _estimate(node: wq.Query, run: _Run) -> int:
    """Roughly how many documents ``node`` matches in the whole index (worked out
    once per evaluation: a term's frequency is a lookup in every segment)."""
    found = run.estimates.get(id(node))
    if found is None:
        found = run.estimates[id(node)] = _estimate_now(node, run)
    return found


def _estimate_now(node: wq.Query, run: _Run) -> int:
    kind = type(node)
    if kind is wq.Term:
        try:
            return int(run.searcher.doc_frequency(node.fieldname, node.text))
        except Exception:
            return run.doc_count
    if kind is wq.Or:
        return sum(_estimate(c, run) for c in node.subqueries)
    if kind is wq.And:
        return min((_estimate(c, run) for c in node.subqueries), default=0)
    if id(node) in run.expansions:
        return sum(run.expansions[id(node)][1].values())
    if kind is wq.Phrase:
        return min((_estimate(wq.Term(node.fieldname, w), run) for w in node.words), default=0)
    return run.doc_count


# -- terms -------------------------------------------------------------------------------------


def _term(node: wq.Term, run: _Run, leaf: _Leaf, within: list[int] | None) -> Scores:
    scores: Scores = {}
    _add_term(scores, node, run, leaf, within)
    return _boosted(scores, node)


def _add_term(
    scores: Scores, node: wq.Term, run: _Run, leaf: _Leaf, within: list[int] | None
) -> None:
    """Add the scores of a term (boost aside) to ``scores``."""
    fieldname = node.fieldname
    schema = run.searcher.schema
    if fieldname not in schema:
        return
    try:
        word = schema[fieldname].to_bytes(node.text)
        info = leaf.terms.term_info(fieldname, word)
    except (ValueError, TermNotFound):
        return
    _add_postings(scores, run, leaf, fieldname, word, info, None, within)


def _prefix(node: wq.Query, run: _Run, leaf: _Leaf, within: list[int] | None) -> Scores:
    per_leaf, frequency = run.expansions[id(node)]
    scores: Scores = {}
    for word, info in per_leaf[leaf.number]:
        idf = math.log(run.doc_count / (frequency[word] + 1)) + 1
        _add_postings(scores, run, leaf, node.fieldname, word, info, idf, within)
    return scores


def _add_postings(
    scores: Scores,
    run: _Run,
    leaf: _Leaf,
    fieldname: str,
    word: bytes,
    info: Any,
    idf: float | None,
    within: list[int] | None,
    values: dict[int, bytes] | None = None,
) -> None:
    """Add the BM25F score of ``word`` for each document holding it to ``scores``
    (and its posting value, the encoded positions, to ``values`` when given)."""
    fieldobj = run.searcher.schema[fieldname]
    scorable = fieldobj.scorable
    if scorable:
        if idf is None:
            idf = run.searcher.idf(fieldname, word)
        norm = _norms(run, leaf, fieldname)
        lengths = _lengths(leaf, fieldname)
        k1p1 = run.K1 + 1
    get = scores.get
    for pairs in _pairs(leaf, fieldname, word, info, within, values):
        if scorable:
            for d, w in pairs:
                scores[d] = get(d, 0.0) + idf * ((w * k1p1) / (w + norm[lengths[d]]))
        else:
            for d, w in pairs:
                scores[d] = get(d, 0.0) + w


def _pairs(
    leaf: _Leaf,
    fieldname: str,
    word: bytes,
    info: Any,
    within: list[int] | None,
    values: dict[int, bytes] | None,
) -> Iterator[Iterable[tuple[int, float]]]:
    """The ``(docnum, weight)`` postings of ``word``, in runs; with ``within`` only
    those documents (and, with ``values``, their posting values filled in)."""
    cached = _cached_postings(leaf, fieldname, word, info) if values is None else None
    if cached is not None:
        ids, weights = cached
        if within is None:
            yield zip(ids, weights, strict=True)
        elif len(within) * 16 < len(ids):
            found = []
            end = len(ids)
            for d in within:
                i = bisect.bisect_left(ids, d)
                if i < end and ids[i] == d:
                    found.append((d, weights[i]))
            yield found
        else:
            keep = set(within)
            yield [(d, w) for d, w in zip(ids, weights, strict=True) if d in keep]
        return
    keep = set(within) if within is not None else None
    for block_ids, weights, block_values in _postings(leaf, info, within, values is not None):
        if values is not None:
            block_ids = list(block_ids)
            found_values = zip(block_ids, block_values, strict=True)
            values.update((d, v) for d, v in found_values if keep is None or d in keep)
        if keep is not None:
            yield [(d, w) for d, w in zip(block_ids, weights, strict=True) if d in keep]
        else:
            yield zip(block_ids, weights, strict=True)


#: Posting lists this long in a segment are kept decoded (documents and weights, not
#: positions) once read: the words every other query holds, and ``source:`` terms
#: that match most of the corpus, are then read from memory.
CACHE_MIN_POSTINGS = 1024
#: At most this many postings are kept (about 12 bytes each), least recently used
#: lists dropped first.
CACHE_MAX_POSTINGS = 2_000_000
_POSTINGS: OrderedDict[tuple[Any, ...], tuple[array[int], array[float]]] = OrderedDict()
_POSTINGS_SIZE = 0
_POSTINGS_LOCK = threading.Lock()


def _cached_postings(
    leaf: _Leaf, fieldname: str, word: bytes, info: Any
) -> tuple[array[int], array[float]] | None:
    """The whole decoded posting list of a long one, from memory after its first read;
    None for a short one."""
    global _POSTINGS_SIZE
    if info.is_inlined() or info.doc_frequency() < CACHE_MIN_POSTINGS:
        return None
    key = (leaf.reader._segid, fieldname, word)
    with _POSTINGS_LOCK:
        found = _POSTINGS.get(key)
        if found is not None:
            _POSTINGS.move_to_end(key)
            return found
    ids: array[int] = array("l")
    weights: array[float] = array("d")
    for block_ids, block_weights, _ in _postings(leaf, info, None):
        ids.extend(block_ids)
        weights.extend(block_weights)
    with _POSTINGS_LOCK:
        if key not in _POSTINGS:
            _POSTINGS[key] = (ids, weights)
            _POSTINGS_SIZE += len(ids)
        while _POSTINGS_SIZE > CACHE_MAX_POSTINGS and len(_POSTINGS) > 1:
            _, (dropped, _) = _POSTINGS.popitem(last=False)
            _POSTINGS_SIZE -= len(dropped)
    return ids, weights


def _postings(
    leaf: _Leaf, info: Any, within: list[int] | None, with_values: bool = False
) -> Iterable[tuple[Iterable[int], Iterable[float], Any]]:
    """``(ids, weights, values)`` block by block (values None unless asked for); with
    ``within``, only the blocks that can hold one of those documents."""
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        yield ids, weights, values if with_values else None
        return
    if within is not None:
        low, high = info.min_id(), info.max_id()
        if low is not None and high is not None:
            start = bisect.bisect_left(within, low)
            if start == len(within) or within[start] > high:
                return
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh3 reads the length back as a 1-tuple
        (length,) = length
    # The whole posting list in one read; its blocks are then parsed in memory.
    raw = leaf.postfile.get(offset, length)
    stream = io.BytesIO(raw)
    position = _MAGIC_SIZE
    previous_max = -1
    while position < length:
        (size,) = _BLOCK_SIZE.unpack_from(raw, position)
        last = size < 0
        following = position + _BLOCK_SIZE.size + abs(size)
        stream.seek(position + _BLOCK_SIZE.size)
        count, max_id, _, compression, _, _ = pickle.load(stream)
        if within is None or _any_between(within, previous_max + 1, max_id):
            data = raw[stream.tell() : following]
            if compression:
                data = zlib.decompress(data)
            deltas, weights, values = pickle.loads(data)
            if weights is None:
                weights = (1.0,) * count
            elif isinstance(weights, float):
                weights = (weights,) * count
            yield accumulate(deltas), weights, values if with_values else None
        if last:
            return
        previous_max = max_id
        position = following


def _any_between(ordered: list[int], low: int, high: int) -> bool:
    i = bisect.bisect_left(ordered, low)
    return i < len(ordered) and ordered[i] <= high


def _phrase(node: wq.Phrase, run: _Run, leaf: _Leaf, within: list[int] | None) -> Scores:
    """Whoosh's phrase: the documents holding every word, the words in order with at
    most ``slop`` between each, scored as the sum of the words' scores."""
    fieldname = node.fieldname
    schema = run.searcher.schema
    if fieldname not in schema or not node.words:
        return {}
    fieldobj = schema[fieldname]
    if not fieldobj.format or not fieldobj.format.supports("positions"):
        raise Unsupported("a phrase in a field without positions")
    words = []
    for text in node.words:
        try:
            word = fieldobj.to_bytes(text)
            words.append((word, leaf.terms.term_info(fieldname, word)))
        except (ValueError, TermNotFound):
            return {}
    found: list[tuple[Scores, dict[int, bytes]]] = [({}, {}) for _ in words]
    candidates = within
    for i in sorted(range(len(words)), key=lambda i: words[i][1].doc_frequency()):
        word, info = words[i]
        scores, values = found[i]
        _add_postings(scores, run, leaf, fieldname, word, info, None, candidates, values)
        candidates = sorted(scores if candidates is None else set(candidates) & scores.keys())
        if not candidates:
            return {}
    decode = (
        _decode_positions
        if type(fieldobj.format) is Positions
        else fieldobj.format.decode_positions
    )
    result: Scores = {}
    for docnum in candidates or ():
        positions = [decode(values[docnum]) for _, values in found]
        if _adjacent(positions) if node.slop == 1 else _in_order(positions, node.slop):
            result[docnum] = sum(scores[docnum] for scores, _ in found)
    return _boosted(result, node)


def _decode_positions(value: bytes) -> list[int]:
    """``Positions.decode_positions``: a count, then the pickled gaps between positions."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[_COUNT_SIZE:])))


def _adjacent(positions: list[list[int]]) -> bool:
    """Whether the words occur one right after another somewhere: what
    :func:`_in_order` finds with a slop of 1, by set lookups."""
    following = [set(p) for p in positions[1:]]
    return any(
        all(start + n in later for n, later in enumerate(following, 1)) for start in positions[0]
    )


def _in_order(positions: list[list[int]], slop: int) -> bool:
    """Whether the words occur one after another with at most ``slop`` between each:
    Whoosh's ``SpanNear2`` (ordered, ``mindist`` 1) on plain positions."""
    from whoosh.query.spans import Span, bisect_spans

    aspans = [Span(p) for p in positions[0]]
    for following in positions[1:]:
        if not aspans:
            return False
        bspans = [Span(p) for p in following]
        spans = set()
        for aspan in aspans:
            j = bisect_spans(bspans, aspan.start)
            while j < len(bspans):
                bspan = bspans[j]
                j += 1
                if bspan.end < aspan.start - slop or aspan.start > bspan.start:
                    continue
                if bspan.start > aspan.end + slop:
                    break
                if 1 <= aspan.distance_to(bspan) <= slop:
                    spans.add(aspan.to(bspan))
        aspans = sorted(spans)
    return bool(aspans)


def _lengths(leaf: _Leaf, fieldname: str) -> bytes:
    """The length byte of ``fieldname`` for each document of the segment."""
    key = (leaf.reader._segid, "lengths", fieldname)
    found = segment_data(key)
    if found is not None:
        return found
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    perdoc = leaf.reader._perdoc
    count = leaf.reader.doc_count_all()
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    value = bytes(count) if column is None else column_bytes(column, count)
    remember_segment_data(key, value)
    return value


def column_bytes(column: Any, count: int) -> bytes:
    """The raw bytes of a fixed-width column reader, padded with its default to
    ``count`` documents: one read instead of one per document."""
    stored = column._dbfile.get(column._basepos, column._fixedlen * column._count)
    missing = count - column._count
    return stored + column._defaultbytes * missing if missing > 0 else stored


#: Data read once per segment (segments never change once written), by segment id.
_SEGMENT_DATA: dict[tuple[Any, ...], Any] = {}
_SEGMENT_DATA_KEEP = 256
_SEGMENT_DATA_LOCK = threading.Lock()


def segment_data(key: tuple[Any, ...]) -> Any:
    """What :func:`remember_segment_data` kept under ``key`` (segment id first), or None."""
    with _SEGMENT_DATA_LOCK:
        return _SEGMENT_DATA.get(key)


def remember_segment_data(key: tuple[Any, ...], value: Any) -> None:
    with _SEGMENT_DATA_LOCK:
        while len(_SEGMENT_DATA) >= _SEGMENT_DATA_KEEP:
            _SEGMENT_DATA.pop(next(iter(_SEGMENT_DATA)))
        _SEGMENT_DATA[key] = value


def _norms(run: _Run, leaf: _Leaf, fieldname: str) -> list[float]:
    """``K1 * ((1 - B) + B * length / average length)`` for each length byte, as
    Whoosh's BM25 computes it (the same operations in the same order)."""
    try:
        return run.norms[fieldname]
    except KeyError:
        pass
    avgfl = run.searcher.avg_field_length(fieldname) or 1
    B, K1 = run.B, run.K1
    norms = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in _LENGTH_BYTES]
    run.norms[fieldname] = norms
    return norms


def _drain(node: wq.Query, run: _Run, leaf: _Leaf) -> Scores:
    """Let Whoosh match ``node`` in the segment and read off the documents and scores."""
    matcher = node.matcher(leaf.searcher, run.context)
    scores: Scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores
