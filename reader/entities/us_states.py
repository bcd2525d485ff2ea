"""US state abbreviations as wire news writes them: "Boise, Idaho", "Little Rock, Ark.",
"Sen. Barbara Boxer, D-Calif.", "offices in Mass. and Calif.".

Abbreviations that are also words or names ("Miss.", "Ind.", "Wash.", "Ga.") count
only after a town and a comma or in a party tag ("R-Ind."); the others count
wherever they stand.
"""

from __future__ import annotations

import re

from reader.entities.candidates import Candidate

#: AP style abbreviation -> state, and whether it is safe without a town or party before it.
STATES: dict[str, tuple[str, bool]] = {
    "Ala.": ("Alabama", True),
    "Ariz.": ("Arizona", True),
    "Ark.": ("Arkansas", True),
    "Calif.": ("California", True),
    "Cal.": ("California", False),
    "Colo.": ("Colorado", True),
    "Conn.": ("Connecticut", True),
    "Del.": ("Delaware", False),
    "Fla.": ("Florida", True),
    "Ga.": ("Georgia", False),
    "Ill.": ("Illinois", False),
    "Ind.": ("Indiana", False),
    "Kan.": ("Kansas", True),
    "Kans.": ("Kansas", True),
    "Ky.": ("Kentucky", True),
    "La.": ("Louisiana", False),
    "Md.": ("Maryland", True),
    "Mass.": ("Massachusetts", True),
    "Me.": ("Maine", False),
    "Mich.": ("Michigan", True),
    "Minn.": ("Minnesota", True),
    "Miss.": ("Mississippi", False),
    "Mo.": ("Missouri", False),
    "Mont.": ("Montana", False),
    "Neb.": ("Nebraska", True),
    "Nev.": ("Nevada", True),
    "N.H.": ("New Hampshire", True),
    "N.J.": ("New Jersey", True),
    "N.M.": ("New Mexico", True),
    "N.Y.": ("New York State", True),
    "N.C.": ("North Carolina", True),
    "N.D.": ("North Dakota", True),
    "Okla.": ("Oklahoma", True),
    "Ore.": ("Oregon", True),
    "Pa.": ("Pennsylvania", True),
    "R.I.": ("Rhode Island", True),
    "S.C.": ("South Carolina", True),
    "S.D.": ("South Dakota", True),
    "Tenn.": ("Tennessee", True),
    "Tex.": ("Texas", True),
    "Va.": ("Virginia", True),
    "Vt.": ("Vermont", True),
    "Wash.": ("Washington State", False),
    "W.Va.": ("West Virginia", True),
    "Wis.": ("Wisconsin", True),
    "Wisc.": ("Wisconsin", True),
    "Wyo.": ("Wyoming", True),
}


#: A capitalised abbreviation with a full stop: the candidates, looked up in STATES.
_ABBREV_RE = re.compile(r"(?<![\w.])[A-Z][A-Za-z.]{0,4}\.(?![\w.]\w)")


def state_abbreviations(body: str) -> list[Candidate]:
    """Candidates for the state abbreviations in ``body``."""
    if "." not in body:
        return []
    found = []
    for match in _ABBREV_RE.finditer(body):
        entry = STATES.get(match.group())
        if entry is None:
            continue
        name, safe = entry
        start = match.start()
        before = body[max(0, start - 2) : start]
        party = before[-1:] == "-" and before[:1] in "RDI"  # "D-Mass."
        # "Little Rock, Ark.": after a capitalised word and a comma.
        town = before == ", " and bool(
            re.search(r"[A-Z][\w.'’-]*$", body[max(0, start - 40) : start - 2])
        )
        if not (safe or party or town):
            continue
        found.append(Candidate(start, match.end(), "place", name, 3))
    return found
