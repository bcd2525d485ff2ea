"""The words of a field, read once per state of the index, and the words
within a few edits of a given one (fuzzy terms, "did you mean")."""

from __future__ import annotations

import bisect
import functools
import threading
from typing import Any

# -- vocabulary: the words of a field, read once per state of the index ------------------------

_VOCABULARIES: dict[tuple[Any, ...], list[str]] = {}
_VOCABULARY_LOCK = threading.Lock()
#: Vocabularies kept: a couple of fields for the current and the previous index state.
_VOCABULARY_KEEP = 6


def vocabulary(reader: Any, fieldname: str) -> list[str]:
    """The sorted distinct words of ``fieldname`` over all segments of ``reader``.

    Segments never change once written, so the list is kept for as long as the
    index has the same segments (an update adds one and reads them again).
    """
    leaves = [r for r, _ in reader.leaf_readers()]
    segments = [getattr(r, "_segment", None) for r in leaves]
    key: tuple[Any, ...] | None = None
    if all(s is not None and hasattr(s, "segment_id") for s in segments):
        key = (fieldname, *sorted(s.segment_id() for s in segments if s is not None))
        with _VOCABULARY_LOCK:
            found = _VOCABULARIES.get(key)
        if found is not None:
            return found
    words: set[bytes] = set()
    for leaf in leaves:
        if fieldname in leaf.indexed_field_names():
            words.update(leaf.lexicon(fieldname))
    result = sorted(w.decode("utf-8", "replace") if isinstance(w, bytes) else w for w in words)
    if key is not None:
        with _VOCABULARY_LOCK:
            while len(_VOCABULARIES) >= _VOCABULARY_KEEP:
                _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
            _VOCABULARIES[key] = result
    return result


def words_within(
    reader: Any, fieldname: str, text: str, maxdist: int, prefix: int = 0
) -> list[str]:
    """Index words within ``maxdist`` edits of ``text`` (sharing its first ``prefix``
    letters), the way Whoosh's fuzzy terms find them: a Levenshtein automaton
    walked over the field's (spelling) vocabulary, skipping with a binary search."""
    from whoosh.automata.fsa import find_all_matches

    spellfield = reader.schema[fieldname].spelling_fieldname(fieldname)
    words = vocabulary(reader, spellfield)
    if not words:
        return []
    dfa = _levenshtein_dfa(text, maxdist, prefix)

    def first_at_or_after(word: str) -> str | None:
        pos = bisect.bisect_left(words, word)
        return words[pos] if pos < len(words) else None

    return list(find_all_matches(dfa, first_at_or_after))


@functools.lru_cache(maxsize=256)
def _levenshtein_dfa(text: str, maxdist: int, prefix: int) -> Any:
    """The automaton of the words within ``maxdist`` edits of ``text``. Building it
    takes milliseconds (tens for two edits of a long word) and the same word is
    looked up in several fields, by the fuzzy term and again by the suggestions."""
    from whoosh.automata.lev import levenshtein_automaton

    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


#: The fields whose words a did-you-mean corrects: prose, stemmed, with spelling data.
_CORRECTED_FIELDS = ("title", "body")


def best_correction(reader: Any, word: str) -> str | None:
    """The word of the corpus the user most likely meant by ``word``, or None.

    ``word`` needs correcting only if no article has it. Candidates are the
    words as written in the articles' titles and bodies within one edit of it,
    else two (same first letter); the nearest win, and among them the one in
    the most articles: "minster" is "minister" (in hundreds) before "monster".
    """
    from reader.index.analysis import analyze_token, fold

    typed = fold(word.lower()) or word.lower()
    stem = analyze_token(typed)
    if stem is None or len(typed) < 3:
        return None  # a stop word or a stub: nothing to correct

    def articles_with(stem_: str) -> int:
        return sum(int(reader.doc_frequency(f, stem_)) for f in _CORRECTED_FIELDS)

    if articles_with(stem):
        return None
    seen: set[str] = {typed}
    for distance in (1, 2):
        candidates: set[str] = set()
        for field in _CORRECTED_FIELDS:
            try:
                candidates.update(words_within(reader, field, typed, distance, prefix=1))
            except Exception:
                continue
        ranked = []
        for candidate in candidates - seen:
            candidate_stem = analyze_token(candidate)
            if candidate_stem is None:
                continue
            count = articles_with(candidate_stem)
            if count:
                ranked.append((-count, candidate))
        seen |= candidates
        if ranked:
            return min(ranked)[1]
    return None
