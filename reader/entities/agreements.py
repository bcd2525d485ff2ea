"""Layer 3 of the recognizer: agreements as noun phrases around an agreement noun.

"the 2011 memorandum of understanding" is one mention; a definite later mention
("the deal") refers back to the latest agreement of the same kind.
"""

from __future__ import annotations

import re

from reader.entities import rules
from reader.entities.candidates import Candidate, Occupied, sentence_initial
from reader.entities.rules import fold

_AGREEMENT = "agreement"

# -- agreement noun phrases ---------------------------------------------------------------------


_WEEKDAYS = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "weekend",
        "saturday's",
        "sunday's",
        "tuesday's",
        "monday's",
        "wednesday's",
        "thursday's",
        "friday's",
    }
)


def find_agreements(body: str, kept: list[Candidate]) -> list[Candidate]:
    spans = Occupied()
    for cand in kept:
        spans.add(cand.start, cand.end)
    found: list[tuple[int, int, str, bool, str]] = []  # start, end, key, definite, head
    last_end = 0
    for match in rules.AGREEMENT_HEAD_RE.finditer(body):
        h_start, h_end = match.span()
        head = match["head"]
        if h_start < last_end or spans.hits(h_start, h_end):
            continue
        if (
            head[:1].isupper()
            and head.lower() not in ("mou", "mous")
            and not sentence_initial(body, h_start)
        ):
            continue  # a capitalised head belongs to a name the chunk layer saw
        near = body[max(0, h_start - 12) : h_end + 6]
        if rules.NOT_AGREEMENT_RE.search(near):
            continue
        start, determiner, modifiers = _walk_left(body, h_start, spans)
        if start < last_end:  # never reach back into the previous phrase
            start, determiner, modifiers = h_start, "", []
        end = h_end
        tail = rules.AGREEMENT_TAIL_RE.match(body, h_end)
        if tail and tail["tail"].split()[0] not in rules.MODIFIER_STOPS:
            end = tail.end()
        base = head.lower()
        singular = base.rstrip("s") if not base.startswith("memorand") else base
        if (
            singular.split()[0] in rules.WEAK_HEADS
            and not determiner
            and not modifiers
            and not base.endswith("s")
        ):
            continue
        plural = base.endswith("s") and not base.endswith("understanding")
        definite = determiner not in rules.INDEFINITE and (determiner != "" or not plural)
        # "the Tuesday agreement" is the agreement, whatever day it is named by.
        named_by = [m for m in modifiers if m.lower() not in _WEEKDAYS]
        key = " ".join([*named_by, body[h_start:end].lower()])
        found.append((start, end, fold(key), definite, _head_class(base)))
        last_end = end
    return _link_agreements(body, found)


def _walk_left(body: str, head_start: int, spans: Occupied) -> tuple[int, str, list[str]]:
    """Modifiers before an agreement noun: (phrase start, determiner, modifiers)."""
    start = head_start
    modifiers: list[str] = []
    determiner = ""
    position = head_start
    for _ in range(8):
        match = rules.LEFT_WORD_RE.search(body, max(0, position - 40), position)
        if not match:
            break
        word = match[1]
        w_start = match.start(1)
        if spans.hits(w_start, match.end(1)):
            # "the Japan-Vietnam agreement": the places stay places, and the
            # agreement noun after them is still a (definite) mention.
            determiner = determiner or "the"
            break
        opening = word[:1] in "“\"‘'("
        bare = word.lstrip("“\"‘'(")
        if bare != word:
            w_start += len(word) - len(bare)
        if not bare or bare[-1] in ',.;:!?”")’':
            if bare.endswith(("’s", "'s")) and not opening:
                determiner = "the"
                start = w_start
            break
        lowered = bare.lower()
        if lowered in rules.DETERMINERS:
            determiner = lowered
            start = w_start
            break
        if lowered.endswith(("’s", "'s")):
            determiner = "the"
            start = w_start
            break
        if lowered == "and":
            if not modifiers:
                break
            probe = rules.LEFT_WORD_RE.search(body, max(0, w_start - 40), w_start)
            if not probe or probe[1].lower() in rules.MODIFIER_STOPS or not probe[1].isalnum():
                break
        elif lowered in rules.MODIFIER_STOPS or not re.fullmatch(r"[\w$][\w$%.-]*", bare):
            break
        modifiers.insert(0, lowered)
        start = w_start
        position = match.start(1)
        if opening:
            break
    if modifiers and modifiers[0] == "and":
        modifiers = modifiers[1:]
    return start, determiner, modifiers


def _head_class(head: str) -> str:
    if head.startswith(("memorand", "mou")):
        return "memorandum"
    if head.startswith("partnership"):
        return "partnership"
    return "agreement"


def _link_agreements(body: str, found: list[tuple[int, int, str, bool, str]]) -> list[Candidate]:
    """Definite mentions refer to the latest agreement of the same kind."""
    clusters: list[list[tuple[int, int, str]]] = []
    latest: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for start, end, key, definite, head in found:
        if definite and key in by_key:
            index = by_key[key]
        elif definite and head in latest:
            index = latest[head]
        else:
            index = len(clusters)
            clusters.append([])
        clusters[index].append((start, end, key))
        latest[head] = index
        by_key.setdefault(key, index)
    out: list[Candidate] = []
    for cluster in clusters:
        name = max(cluster, key=lambda item: (len(item[2].split()), -item[0]))[2]
        out.extend(Candidate(start, end, _AGREEMENT, name) for start, end, _key in cluster)
    return out
