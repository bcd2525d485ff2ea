"""The words of a field, read once per state of the index, and the words
within a few edits of a given one (fuzzy terms, "did you mean")."""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Iterator
from typing import Any

from whoosh.spelling import Corrector

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


class VocabularyCorrector(Corrector):
    """Whoosh's ReaderCorrector, finding candidates with :func:`words_within`.

    Whoosh's own compares the misspelt word with every index word that shares
    its first letter, in Python, on every search that finds nothing.
    """

    def __init__(self, reader: Any, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        frequency = self.reader.frequency
        for word in words_within(self.reader, self.fieldname, text, maxdist, prefix):
            weight = frequency(self.fieldname, word) or 1
            yield 0 - (maxdist + (1.0 / weight * 0.5)), word
