"""Sentence and paragraph boundaries in an article body.

The app highlights "the sentence (or paragraph) under the cursor": given a body
and a character offset, :func:`sentence_bounds` and :func:`paragraph_bounds`
return the ``(start, end)`` range that contains it, end exclusive, without the
surrounding whitespace. Both only look at the text near the offset, so they stay
fast on very long articles.

Paragraphs
    are separated by blank lines. A single line break also separates paragraphs
    when the block is written one paragraph a line (news sites often export that
    way: most lines end a sentence), but not in hard-wrapped text, where most
    lines stop mid-sentence.
Sentences
    end at ``.``, ``!`` or ``?`` (and any closing quotes or brackets after it)
    followed by white space and a capital letter, a digit or an opening quote,
    and always at the end of a paragraph. A full stop after a known abbreviation
    ("Sept. 11", "Nov. 23", "Mr.", "U.S.", "e.g.") does not end a sentence, except
    that an initialism such as "U.S." does when the next word is one that usually
    starts a sentence ("… in the U.S. The next day …").
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_TERMINALS = ".!?"
_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviations (lower case, without the final dot) after which a full stop goes on.
#: Words that also end sentences ("sun", "no") are left out on purpose.
ABBREVIATIONS = _words(
    """
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues thu thur thurs fri
    mr mrs ms dr prof gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep rev hon pres
    st jr sr messrs mme mlle
    inc corp ltd co bros dept univ assn
    vol vols pp fig figs approx
    vs etc al cf ibid
    e.g i.e a.m p.m
    """
)

#: After an initialism ("U.S.") these words begin a new sentence.
_SENTENCE_STARTERS = _words(
    """
    The A An It He She They We I This That These Those There But And However In On
    At For If When While After Before Its His Her Their Our Meanwhile Still Yet So
    """
)

#: How far (in lines) a paragraph is looked for on each side of the offset.
MAX_BLOCK_LINES = 2000

_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


# -- paragraphs --------------------------------------------------------------------------------


def _line_start(body: str, offset: int) -> int:
    return body.rfind("\n", 0, offset) + 1


def _line_end(body: str, offset: int) -> int:
    end = body.find("\n", offset)
    return len(body) if end == -1 else end


def _is_blank(body: str, start: int, end: int) -> bool:
    return not body[start:end].strip()


def _block_lines(body: str, offset: int) -> list[Span]:
    """The lines (start, end without newline) of the blank-line block around ``offset``.

    At most :data:`MAX_BLOCK_LINES` lines each way: a file with no blank line at
    all stays fast, at the price of an arbitrary cut far from the offset.
    """
    offset = max(0, min(offset, len(body)))
    first = _line_start(body, offset)
    here = (first, _line_end(body, first))
    if _is_blank(body, *here):
        return []
    before: list[Span] = []
    start = here[0]
    while start > 0 and len(before) < MAX_BLOCK_LINES:
        end = start - 1
        start = _line_start(body, end)
        if _is_blank(body, start, end):
            break
        before.append((start, end))
    after: list[Span] = []
    end = here[1]
    while end < len(body) and len(after) < MAX_BLOCK_LINES:
        start = end + 1
        end = _line_end(body, start)
        if start >= len(body) or _is_blank(body, start, end):
            break
        after.append((start, end))
    return [*reversed(before), here, *after]


def _ends_sentence(line: str) -> bool:
    line = line.rstrip().rstrip(_CLOSERS)
    return bool(line) and line[-1] in _TERMINALS


def _one_paragraph_a_line(body: str, lines: list[Span]) -> bool:
    """True when a block's line breaks separate paragraphs rather than wrap them."""
    if len(lines) < 2:
        return False
    ended = sum(1 for start, end in lines[:-1] if _ends_sentence(body[start:end]))
    return ended * 2 > len(lines) - 1


def _trim(body: str, start: int, end: int) -> Span:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_bounds(body: str, offset: int) -> Span | None:
    """The paragraph that contains ``offset``, or None when it falls between paragraphs."""
    lines = _block_lines(body, offset)
    if not lines:
        return None
    if _one_paragraph_a_line(body, lines):
        # Each line whose predecessor ended a sentence starts a new paragraph.
        start = lines[0][0]
        for i, (line_start, line_end) in enumerate(lines):
            if i and _ends_sentence(body[lines[i - 1][0] : lines[i - 1][1]]):
                start = line_start
            if offset <= line_end:
                end = line_end
                for j in range(i, len(lines) - 1):
                    if _ends_sentence(body[lines[j][0] : lines[j][1]]):
                        end = lines[j][1]
                        break
                    end = lines[j + 1][1]
                return _trim(body, start, end)
    return _trim(body, lines[0][0], lines[-1][1])


def paragraph_spans(body: str) -> list[Span]:
    """Every paragraph of ``body``, in order."""
    spans: list[Span] = []
    offset = 0
    while offset < len(body):
        found = paragraph_bounds(body, offset)
        if found is None or found[1] <= offset:
            offset = _line_end(body, offset) + 1
            continue
        if not spans or spans[-1] != found:
            spans.append(found)
        offset = found[1] + 1
    return spans


# -- sentences ---------------------------------------------------------------------------------


def _word_before(text: str, dot: int) -> str:
    """The word that ends at ``text[dot]`` (a full stop), inner dots included ("U.S")."""
    start = dot
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:dot].lstrip(".")


def _next_word(text: str, start: int) -> str:
    match = re.match(r"[\w’']+", text[start:])
    return match.group() if match else ""


def _is_boundary(text: str, mark: int, after: int) -> bool:
    """Does the terminal punctuation at ``text[mark]`` end a sentence?

    ``after`` is the index just past the closing quotes that follow the mark.
    """
    if after >= len(text) or not text[after].isspace():
        return False
    nxt = after
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text):
        return True
    first = text[nxt]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if text[mark] != ".":
        return True
    word = _word_before(text, mark)
    if not word:
        return True
    if word.lower() in ABBREVIATIONS:
        return False
    if _INITIALISM.match(word) or (len(word) == 1 and word.isupper()):
        # "U.S." or a middle initial "J.": only a likely sentence opener ends it.
        return _next_word(text, nxt) in _SENTENCE_STARTERS
    return True


def sentence_spans_in(text: str, base: int = 0) -> list[Span]:
    """The sentences of one paragraph ``text``; offsets are shifted by ``base``."""
    spans: list[Span] = []
    start = 0
    i = 0
    while i < len(text):
        if text[i] in _TERMINALS:
            after = i + 1
            while after < len(text) and (text[after] in _TERMINALS or text[after] in _CLOSERS):
                after += 1
            if _is_boundary(text, i, after):
                s, e = _trim(text, start, after)
                if e > s:
                    spans.append((s + base, e + base))
                start = after
            i = after
            continue
        i += 1
    s, e = _trim(text, start, len(text))
    if e > s:
        spans.append((s + base, e + base))
    return _merge_fragments(text, spans, base)


def _merge_fragments(text: str, spans: list[Span], base: int) -> list[Span]:
    """A stray quote mark or full stop after a sentence belongs to that sentence."""
    merged: list[Span] = []
    for s, e in spans:
        if merged and not any(c.isalnum() for c in text[s - base : e - base]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def sentence_bounds(body: str, offset: int) -> Span | None:
    """The sentence that contains ``offset``, or None when it falls between paragraphs.

    An offset in the white space between two sentences belongs to the next one.
    """
    paragraph = paragraph_bounds(body, offset)
    if paragraph is None:
        return None
    start, end = paragraph
    spans = sentence_spans_in(body[start:end], start)
    for span in spans:
        if offset < span[1]:
            return span
    return spans[-1] if spans else None


def sentence_spans(body: str) -> list[Span]:
    """Every sentence of ``body``, in order."""
    spans: list[Span] = []
    for start, end in paragraph_spans(body):
        spans.extend(sentence_spans_in(body[start:end], start))
    return spans
