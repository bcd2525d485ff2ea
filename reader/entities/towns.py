"""Small towns that no gazetteer lists, told by how news writes them: "a farm near
Sylvania, Ohio", "SYLVANIA, Ohio _", "sites in Oued Djebbana, Algeria".

A capitalised name after "in", "at", "near", "from", "outside" or "of" (or a
dateline in capitals at the start of a line) followed by a comma and a state or
province (written out or abbreviated) or a country is a place.
"""

from __future__ import annotations

import re

from reader.entities.candidates import Candidate
from reader.entities.gazetteer import AMBIGUOUS, STRONG, Gazetteer
from reader.entities.rules import ORG_WORDS, fold
from reader.entities.us_states import STATES

_NAME = r"[A-Z][a-z'’]+(?:[- ](?:[A-Z][a-z'’]+|de|del|la|le|du))*"
#: A comma and what may be a state or a country after it; the town is looked for before.
_REGION_RE = re.compile(r",[ \u00a0](?P<region>[A-Z][\w.]*(?:[ \u00a0][A-Z][\w.]*)?)")
_TOWN_BEFORE_RE = re.compile(rf"\b(?:in|at|near|from|outside|of)[ \u00a0](?P<town>{_NAME})\Z")
_DATELINE_RE = re.compile(
    r"^(?P<town>[A-Z]{3,}(?:[ -][A-Z]{2,}){0,2}),[ \u00a0]"
    r"(?P<region>[A-Z][\w.]*(?:[ \u00a0][A-Z][\w.]*)?)",
    re.MULTILINE,
)
#: Words that follow "in" with a comma and a place but name no town.
_NOT_TOWNS = frozenset(
    {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    }
)


def _region(gaz: Gazetteer, text: str, closed: bool) -> bool:
    """Whether ``text`` (or its first word or two) is a state, a province or a country.

    ``closed``: punctuation follows it, so a name that is also a given name
    ("Victoria") counts too.
    """
    words = text.split()
    for n in (2, 1):
        part = " ".join(words[:n])
        if part in STATES:
            return True
        hit = gaz.places.get(fold(part.rstrip(".,")))
        if hit and hit[1] >= (AMBIGUOUS if closed and n == len(words) else STRONG):
            return True
    return False


def towns(body: str, gaz: Gazetteer) -> list[Candidate]:
    """Candidates for towns named with their state or country."""
    if ", " not in body:
        return []
    found = []
    for pattern in (_REGION_RE, _DATELINE_RE):
        for match in pattern.finditer(body):
            if pattern is _REGION_RE:
                town_match = _TOWN_BEFORE_RE.search(body, max(0, match.start() - 60), match.start())
                if town_match is None:
                    continue
                town, start, end = town_match["town"], town_match.start("town"), match.start()
            else:
                town, start, end = match["town"], match.start("town"), match.end("town")
            closed = body[match.end() : match.end() + 1] in ("", ",", ".", ";", ":", "\n")
            if town in _NOT_TOWNS or not _region(gaz, match["region"], closed):
                continue
            if any(word in ORG_WORDS for word in town.split()):  # "Cornell University, N.Y."
                continue
            name = town.title() if town.isupper() else town
            hit = gaz.places.get(fold(name))
            if hit is not None and hit[1] >= STRONG:
                continue  # a known place: the other layers find it, with its canonical name
            found.append(Candidate(start, end, "place", fold(name), 3))
    return found
