"""The words of an agreement phrase: where it starts, where it stops, its label.

:func:`walk_left` reads the modifiers and the determiner before an agreement
word ("the 2011 memorandum", "OPEC's December pact"), keeping places before it
as places; :func:`postmodifier_end` finds where the words after it stop naming
it ("agreement allowing the export of defence equipment"); :func:`clean_label`
trims a phrase to the words that name the agreement. Used by
:mod:`reader.entities.agreement_mentions`.
"""

from __future__ import annotations

import re

from reader.entities import rules
from reader.entities.candidates import Occupied

#: Determiners that make a mention one of a class, not one agreement.
CLASS_WORDS = frozenset(rules.words("such similar other any every each no"))
INDEFINITE = rules.INDEFINITE - {"other", "such", "similar"}
_LEADING_THE = ("the ", "The ")

#: Words after an agreement word that may name it ("deal allowing ...", "pact on trade").
POST_RE = re.compile(
    r"[ \u00a0]+(?!to[ \u00a0]+be\b)(?:(?:allowing|enabling|to|for|covering|over|governing|"
    r"banning|limiting|setting|on|worth|of(?=[ \u00a0]+\$)|"
    r"between(?=[ \u00a0]+(?:a|an|the)?[ \u00a0]*(?!two\b)[a-z]))"
    r"(?:[ \u00a0]+(?:\$?\d[\d,.]*\d|[\w’'-]+)){1,8})"
)
_POST_STOPS = frozenset(
    rules.words(
        """
        to in with between by at from on amid as after before during while which that who
            because since until when where and but or the a an its their his her this
        """
    )
)


def postmodifier_end(body: str, h_end: int) -> int:
    """Where "agreement allowing the export of defence equipment" stops naming it."""
    match = POST_RE.match(body, h_end)
    if not match:
        return h_end
    words = list(re.finditer(r"\$?\d[\d,.]*\d|[\w’'-]+", body[h_end : match.end()]))
    end = h_end
    for index, word in enumerate(words):
        text = word[0]
        stop_after = (
            index >= 2
            and text.lower() in _POST_STOPS
            and text.lower() not in ("and", "the", "of", "to")
        )
        if stop_after:
            break
        if index > 0 and text.lower() == "to":
            following = words[index + 1][0] if index + 1 < len(words) else ""
            if following.lower() in ("the", "a", "an") or following[:1].isupper():
                break  # "... technology to the Southeast Asian country": a destination
            end = h_end + word.end()
            continue
        end = h_end + word.end()
        gap = body[end : end + 2]
        if gap[:1] in ',.;:!?)(”"':
            break
    # never end on a function word
    while end > h_end:
        last = re.search(r"([\w’'-]+)$", body[h_end:end])
        if last is None or last[1].lower() not in _POST_STOPS | {"of", "for"}:
            break
        end = h_end + last.start(1)
        end = len(body[:end].rstrip())
    return end


def clean_label(text: str) -> str:
    text = " ".join(text.split())
    text = text.strip("“”\"‘’'(),")
    for lead in _LEADING_THE:
        if text.startswith(lead):
            text = text[len(lead) :]
    words = text.split()
    while len(words) > 1 and (
        words[0].lower() in _HEDGES
        or (words[0].lower() in rules.DETERMINERS and words[0].lower() != "new")
    ):
        words = words[1:]
    return " ".join(words)


#: Words before an agreement that say how it is seen, not which it is.
_HEDGES = frozenset(
    rules.words(
        """
        possible proposed planned potential likely mooted lucrative landmark historic new latest
            important major broader mandatory voluntary controversial
        """
    )
)


def walk_left(body: str, head_start: int, spans: Occupied) -> tuple[int, str, list[str], int]:
    """Modifiers before an agreement word: (mention start, determiner, modifiers, label start).

    Places before the word ("the Japan-Vietnam agreement") stay places: the
    mention starts after them, the label takes them in.
    """
    start = head_start
    label_start = head_start
    modifiers: list[str] = []
    determiner = ""
    position = head_start
    through_names = False
    for _ in range(8):
        match = rules.LEFT_WORD_RE.search(body, max(0, position - 40), position)
        if not match:
            break
        word = match[1]
        w_start = match.start(1)
        if spans.hits(w_start, match.end(1)):
            through_names = True
            determiner = determiner or "the"
            label_start = w_start
            position = w_start
            continue
        opening = word[:1] in "“\"‘'("
        bare = word.lstrip("“\"‘'(")
        if bare != word:
            w_start += len(word) - len(bare)
        if not bare or bare[-1] in ',.;:!?”")’':
            if bare.endswith(("’s", "'s")) and not opening and not through_names:
                determiner = "the"
                start = w_start
            break
        lowered = bare.lower()
        if lowered in rules.DETERMINERS:
            if not through_names:
                determiner = lowered
                start = w_start
                before = rules.LEFT_WORD_RE.search(body, max(0, w_start - 20), w_start)
                if before and before[1].lower() in CLASS_WORDS:
                    determiner = before[1].lower()  # "such a deal"
            elif lowered in CLASS_WORDS or lowered in INDEFINITE:
                determiner = lowered
            break
        if lowered.endswith(("’s", "'s")):
            if not through_names:
                determiner = "the"
                start = w_start
                if bare[:1].isupper():
                    label_start = w_start  # "OPEC's December pact"
            break
        if through_names:
            break
        if lowered == "and":
            if not modifiers:
                break
            probe = rules.LEFT_WORD_RE.search(body, max(0, w_start - 40), w_start)
            if not probe or probe[1].lower() in rules.MODIFIER_STOPS or not probe[1].isalnum():
                break
        elif lowered in rules.MODIFIER_STOPS or not re.fullmatch(r"[\w$][\w$%.-]*", bare):
            break
        modifiers.insert(0, bare)
        start = w_start
        label_start = w_start
        position = match.start(1)
        if opening:
            break
    if modifiers and modifiers[0] == "and":
        modifiers = modifiers[1:]
    return (
        start,
        determiner,
        modifiers,
        min(label_start, start) if not through_names else label_start,
    )
