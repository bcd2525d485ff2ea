"""The record of one agreement, read from the sentences of its mentions.

* ``kind``: from the agreement word of its first mention (treaty, deal, memorandum, ...).
* ``status``: the cue nearest a mention, first sentence first: refused or not
  reached (rejected), expired or scrapped (ended), in force, signed or struck
  (signed), talks (under negotiation), a plan or "possible" (proposed); else unknown.
* ``parties``: places and organisations (any entity type but people and
  agreements) in the clause before the first mention ("Japan and Vietnam signed
  ...", "the Japan-Vietnam agreement"), or after "between"/"with" it.
* ``signatories``: people in a sentence where a mention meets a verb of signing.
* ``place``: "signed in Hanoi".
* ``date``: the date nearest a mention, first sentence first; relative ones
  ("on Saturday") are kept as ``date_text`` until :func:`resolve_dates` has the
  article's date.
* ``evidence``: the ``[start, end]`` spans of the sentences the fields came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from reader.entities import dates
from reader.entities.candidates import Candidate
from reader.entities.model import Entity

STATUSES = ("signed", "proposed", "under negotiation", "in force", "ended", "rejected", "unknown")
_NOT_PARTIES = frozenset({"person", "agreement"})
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "co",
        "corp",
        "inc",
        "ltd",
        "gen",
        "col",
        "lt",
        "sen",
        "rep",
        "gov",
        "prof",
        "vs",
        "etc",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
    ]
)
_SIGN_RE = re.compile(
    r"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s|ing)?|seal(?:ed|s|ing)?|struck|strike|clinch(?:ed|es|ing)?)\b",
    re.IGNORECASE,
)
_STATUS_CUES = (
    (
        "rejected",
        r"\b(?:reject(?:ed|s|ing)?|refus(?:ed|es|ing)[ \w]{0,12}(?:sign|ratify|accept)|"
        r"vot(?:ed|es|ing)[ \u00a0]+(?:down|against)|fail(?:ed|s)?[ \u00a0]+to[ \u00a0]+"
        r"(?:reach|agree|sign|strike|clinch|ratify)|no[ \u00a0]+(?:agreement|deal))\b",
    ),
    (
        "ended",
        r"\b(?:expired|collaps(?:ed|es)|scrap(?:ped|s)|terminat(?:ed|es)|tore[ \u00a0]+up|"
        r"(?:withdr(?:ew|awn)|pull(?:ed|s)[ \u00a0]+out)[ \u00a0]+(?:of|from)|broke[ \u00a0]+down|"
        r"cancel(?:l?ed|s)|abandon(?:ed|s))\b",
    ),
    (
        "in force",
        r"\b(?:in(?:to)?[ \u00a0]+force|expires|runs[ \u00a0]+until|took[ \u00a0]+effect|"
        r"takes[ \u00a0]+effect|came[ \u00a0]+into[ \u00a0]+effect|in[ \u00a0]+effect|"
        r"under[ \u00a0]+the)\b",
    ),
    (
        "signed",
        r"\b(?:sign(?:ed|s)|ink(?:ed|s|ing)|seal(?:ed|s)|struck|reach(?:ed|es)|conclud(?:ed|es)|"
        r"clinch(?:ed|es)|finali[sz]ed|secur(?:ed|es)|won|broker(?:ed|s)|agreed|ratif(?:ied|ies)|"
        r"approv(?:ed|es)|announced|inking|signing)\b",
    ),
    (
        "under negotiation",
        r"\b(?:negotiat\w*|talks|being[ \u00a0]+(?:worked|discussed|finalised|finalized)|"
        r"discuss\w*|bargain\w*)\b",
    ),
    (
        "proposed",
        r"\b(?:would|could|possible|proposed?|plan(?:s|ned|ning)?|hop(?:es|ed|ing)[ \u00a0]+to|"
        r"want(?:s|ed)?|may|might|draft|likely|seek(?:s|ing)?|push(?:es|ing)?[ \u00a0]+for|"
        r"call(?:s|ed)?[ \u00a0]+for|yet[ \u00a0]+to)\b",
    ),
)
_STATUS_RES = tuple((status, re.compile(cue, re.IGNORECASE)) for status, cue in _STATUS_CUES)
_LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|at|near|into|across|outside|around|over|on|against|about|amid|towards?|to)[ \u00a0]+"
    r"(?:the[ \u00a0]+)?$",
    re.IGNORECASE,
)
_LINKED_AFTER_RE = re.compile(
    r"^[^.;:!?]{0,80}?\b(?:between|with|allowing|enabling)[ \u00a0]+(?:the[ \u00a0]+)?$",
    re.IGNORECASE,
)
_NOT_A_DATE_BEFORE_RE = re.compile(
    r"\b(?:by|until|till|expire|expires|due|through|before|from|since|to)[ \u00a0]+"
    r"(?:the[ \u00a0]+)?(?:end[ \u00a0]+of[ \u00a0]+)?$",
    re.IGNORECASE,
)


def sentence_bounds(body: str, position: int) -> tuple[int, int]:
    """The sentence around ``position``: from after the last sentence end to the next."""
    start = position
    while start > 0:
        char = body[start - 1]
        if char == "\n":
            break
        if (
            char in ".!?"
            and body[start : start + 1] in " \u00a0"
            and _ends_sentence(body, start - 1)
        ):
            break
        start -= 1
    while start < position and body[start] in " \u00a0\t":
        start += 1
    end = position
    length = len(body)
    while end < length:
        char = body[end]
        if char == "\n":
            break
        if (
            char in ".!?"
            and (end + 1 == length or body[end + 1] in " \u00a0\n”\"’'")
            and _ends_sentence(body, end)
        ):
            end += 1
            while end < length and body[end] in "”\"’'":
                end += 1
            break
        end += 1
    return start, end


def _ends_sentence(body: str, dot: int) -> bool:
    if body[dot] != ".":
        return True
    word_start = dot
    while (
        word_start > 0 and not body[word_start - 1].isspace() and body[word_start - 1] not in '(“"'
    ):
        word_start -= 1
    word = body[word_start:dot].lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
        return False
    following = body[dot + 1 : dot + 4].lstrip(" \u00a0”\"’'")
    return not following[:1].islower() and not following[:1].isdigit()


#: The sentences of an agreement read for its fields: the first ones say what it is
#: (and a megabyte-long text with a thousand mentions stays linear).
MAX_SENTENCES = 24


class _Sorted(list):
    """Candidates in text order, with the ones that start inside a stretch found by bisection."""

    def __init__(self, cands: Iterable[Candidate]) -> None:
        super().__init__(sorted(cands, key=lambda c: c.start))
        self.starts = [c.start for c in self]

    def within(self, start: int, end: int) -> list[Candidate]:
        return self[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]


def sorted_candidates(kept: Iterable[Candidate]) -> _Sorted:
    """Sort once for all the records of a text (see :func:`build_record`)."""
    return _Sorted(kept)


def build_record(
    body: str,
    kind: str,
    spans: Sequence[tuple[int, int]],
    kept: Iterable[Candidate],
    others: Sequence[tuple[int, int]] = (),
) -> dict[str, Any]:
    """The record of the agreement whose mentions are ``spans`` (first one first)."""
    sentences: list[tuple[int, int]] = []
    by_sentence: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for span in spans:
        if len(sentences) >= MAX_SENTENCES and sentence_bounds(body, span[0]) not in by_sentence:
            break
        bounds = sentence_bounds(body, span[0])
        if bounds not in by_sentence:
            sentences.append(bounds)
            by_sentence[bounds] = []
        by_sentence[bounds].append(span)
    candidates = kept if isinstance(kept, _Sorted) else _Sorted(kept)
    used: set[tuple[int, int]] = {sentences[0]} if sentences else set()

    status = "unknown"
    for bounds in sentences:
        found = _status(body, bounds, by_sentence[bounds])
        if found:
            status = found
            used.add(bounds)
            break

    parties = _parties(body, sentences[0], spans[0], candidates) if sentences else []
    signatories: list[str] = []
    place = None
    for bounds in sentences:
        text = body[bounds[0] : bounds[1]]
        sign = _SIGN_RE.search(text)
        if not sign:
            continue
        people = [c.name for c in candidates.within(*bounds) if c.type == "person"]
        if people:
            used.add(bounds)
        signatories.extend(p for p in people if p not in signatories)
        if place is None:
            place = _signing_place(body, bounds[0] + sign.end(), bounds[1], candidates, parties)
            if place:
                used.add(bounds)

    date_value, date_text = None, None
    for bounds in sentences:
        expression = _date(body, bounds, by_sentence[bounds], spans, others)
        if expression is not None:
            date_text = expression.text
            date_value = dates.resolve(expression, None)
            used.add(bounds)
            break
    return {
        "kind": kind,
        "status": status,
        "parties": parties,
        "signatories": signatories,
        "place": place,
        "date": date_value,
        "date_text": date_text,
        "evidence": [list(bounds) for bounds in sorted(used)],
    }


def _status(body: str, bounds: tuple[int, int], mentions: list[tuple[int, int]]) -> str | None:
    best: tuple[int, int, str] | None = None
    for rank, (status, pattern) in enumerate(_STATUS_RES):
        for match in pattern.finditer(body, bounds[0], bounds[1]):
            distance = min(_distance(match.span(), span) for span in mentions)
            if distance > 90:
                continue
            key = (distance + rank * 4, rank, status)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _parties(
    body: str, bounds: tuple[int, int], first: tuple[int, int], candidates: _Sorted
) -> list[str]:
    in_sentence = [
        c for c in candidates.within(*bounds) if c.type not in _NOT_PARTIES and not c.name.isupper()
    ]
    clause_start = bounds[0]
    for mark in (";", " — ", " – ", ", "):
        at = body.rfind(mark, bounds[0], first[0])
        if at >= 0 and not _dateline(body, bounds[0], at):
            clause_start = max(clause_start, at + len(mark))
    out: list[str] = []
    for start_from in (clause_start, bounds[0]):
        for cand in in_sentence:
            if cand.end <= first[0] and cand.start >= start_from:
                if _LOCATIVE_BEFORE_RE.search(body[max(bounds[0], cand.start - 12) : cand.start]):
                    continue
                if body[cand.start : cand.end].isupper() and len(cand.name) > 4:
                    continue  # a dateline: "TOKYO (Kyodo) -"
                if cand.name not in out:
                    out.append(cand.name)
        if out:
            break
    for name in _demonym_parties(body[clause_start : first[0]]):
        if name not in out:
            out.append(name)
    # "... between Vietnam and Japan", "a deal with Japan", "a deal to supply rice to Korea"
    for cand in in_sentence:
        if (
            cand.start >= first[1]
            and _TRADE_TO_RE.search(body[first[1] : cand.start])
            and cand.name not in out
        ):
            out.append(cand.name)
        if (cand.start >= first[1] and _LINKED_AFTER_RE.search(body[first[1] : cand.start])) or (
            (cand.start >= first[1] and out and _and_chain(body, first[1], cand.start, out))
            and cand.name not in out
        ):
            out.append(cand.name)
    return out


#: Countries named by their people's adjective: "the Australian and Egyptian governments".
DEMONYMS = {
    "American": "United States",
    "Australian": "Australia",
    "British": "United Kingdom",
    "Canadian": "Canada",
    "Chinese": "China",
    "Egyptian": "Egypt",
    "French": "France",
    "German": "Germany",
    "Indian": "India",
    "Indonesian": "Indonesia",
    "Iraqi": "Iraq",
    "Iranian": "Iran",
    "Israeli": "Israel",
    "Italian": "Italy",
    "Japanese": "Japan",
    "Korean": "South Korea",
    "Malaysian": "Malaysia",
    "Mexican": "Mexico",
    "New Zealand": "New Zealand",
    "Palestinian": "Palestine",
    "Philippine": "Philippines",
    "Russian": "Russia",
    "Saudi": "Saudi Arabia",
    "South Australian": "South Australia",
    "Western Australian": "Western Australia",
    "Victorian": "Victoria",
    "Tasmanian": "Tasmania",
    "Soviet": "Soviet Union",
    "Spanish": "Spain",
    "Syrian": "Syria",
    "Thai": "Thailand",
    "Turkish": "Turkey",
    "Vietnamese": "Vietnam",
}
_DEMONYM_WORD_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted(DEMONYMS, key=len, reverse=True))
    + r")\b(?![ \u00a0]+[a-z]+[ \u00a0]+[a-z])"
)
#: After a demonym, up to the word that makes it a government:
#: "... and New South Wales governments".
_GOVERNMENTS_RE = re.compile(
    r"(?:(?:,[ \u00a0]*|[ \u00a0]+and[ \u00a0]+|[ \u00a0]+)[A-Z][\w-]*)*[ \u00a0]+"
    r"(?:governments?|authorities|officials|ministers)\b"
)
#: "a deal to supply rice to South Korea": the buyer is a party.
_TRADE_TO_RE = re.compile(
    r"\b(?:suppl\w*|sell\w*|sale\w*|export\w*|ship\w*|deliver\w*|provid\w*|import\w*)\b"
    r"[^.;]{0,60}?\b(?:to|from)[ \u00a0]+(?:the[ \u00a0]+)?$",
    re.IGNORECASE,
)


def _demonym_parties(text: str) -> list[str]:
    out: list[str] = []
    for match in _DEMONYM_WORD_RE.finditer(text):
        if _GOVERNMENTS_RE.match(text, match.end()) and DEMONYMS[match[0]] not in out:
            out.append(DEMONYMS[match[0]])
    return out


def _and_chain(body: str, after: int, start: int, out: list[str]) -> bool:
    gap = body[max(after, start - 6) : start]
    return bool(re.search(r"\band[ \u00a0]+(?:the[ \u00a0]+)?$|,[ \u00a0]+$", gap)) and bool(
        re.search(r"\b(?:between|with)\b", body[after:start], re.IGNORECASE)
    )


def _dateline(body: str, sentence_start: int, at: int) -> bool:
    return body[sentence_start:at].isupper()


def _signing_place(
    body: str, after: int, end: int, candidates: _Sorted, parties: list[str]
) -> str | None:
    for cand in candidates.within(after, min(end, after + 60)):
        if cand.type in _NOT_PARTIES:
            continue
        if cand.name in parties:
            continue
        if re.search(r"\b(?:in|at)[ \u00a0]+$", body[max(after, cand.start - 4) : cand.start]):
            return cand.name
    return None


def _date(
    body: str,
    bounds: tuple[int, int],
    mentions: list[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    others: Sequence[tuple[int, int]],
) -> dates.DateExpression | None:
    text = body[bounds[0] : bounds[1]]
    best: tuple[int, int, dates.DateExpression] | None = None
    for expression in dates.find_dates(text, bounds[0]):
        inside = [(s, e) for s, e in others if (s, e) not in spans and s <= expression.start < e]
        if inside and not (
            expression.form == "weekday" and _MADE_BY_RE.search(_between(body, inside[0], mentions))
        ):
            # "builds upon a 2011 memorandum": that memorandum's date; but "the Tuesday
            # agreement establishes a partnership" dates the partnership too
            continue
        before = body[max(bounds[0], expression.start - 30) : expression.start]
        if _NOT_A_DATE_BEFORE_RE.search(before):
            continue
        distance = min(_distance((expression.start, expression.end), m) for m in mentions)
        if distance > 120:
            continue
        precision = 0 if expression.form == "absolute" and expression.year else 1
        if expression.form == "year":
            precision = 2
        key = (precision, distance)
        if best is None or key < best[:2]:
            best = (precision, distance, expression)
    return best[2] if best else None


_MADE_BY_RE = re.compile(
    r"\b(?:establish\w*|creat\w*|set(?:s|ting)?[ \u00a0]+up|launch\w*)\b", re.IGNORECASE
)


def _between(body: str, other: tuple[int, int], mentions: list[tuple[int, int]]) -> str:
    ours = min(mentions, key=lambda m: _distance(m, other))
    low, high = (other[1], ours[0]) if other[1] <= ours[0] else (ours[1], other[0])
    return body[low:high] if high > low else ""


def resolve_dates(entities: list[Entity], article_date: date | None) -> list[Entity]:
    """Agreements whose date the text gives relative to the article: resolved against it."""
    if article_date is None:
        return entities
    out = []
    for entity in entities:
        record = entity.record
        if record and record.get("date_text") and not record.get("date"):
            expressions = dates.find_dates(str(record["date_text"]))
            if expressions:
                resolved = dates.resolve(expressions[0], article_date)
                if resolved:
                    entity = Entity(
                        entity.type, entity.name, entity.mentions, {**record, "date": resolved}
                    )
        out.append(entity)
    return out
