"""Organisations: governments and ministries, armed forces, companies, unions, parties,
international bodies and news outlets.

The recognizer's capitalised runs that end in (or contain) an organisation's head
word ("Ministry", "University", "Party", "Corp.", "Times") were always kept from
being read as people or places; :func:`classify` now names them. A run ending in
a facility word ("Red Square", "Hyde Park", "Cubbie Station") is a place instead.
After the overlaps are resolved, :func:`link_organisations` adds what only the
whole article tells: an acronym given in brackets after a name ("Center for
Responsible Nanotechnology (CRN)") and its later uses, short forms of a longer
name ("the Conservation Foundation"), a name before a role ("AWI chairman"),
before a lower-case "party" or "union" ("the Likud party"), and acronyms used
more than once that nothing else claims.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

from reader.entities.candidates import Candidate, Occupied, sentence_initial
from reader.entities.gazetteer import Gazetteer
from reader.entities.names import DEMONYMS
from reader.entities.rules import fold, words

ORGANISATION, PLACE = "organisation", "place"

#: Words that make a capitalised run an organisation.
HEADS = frozenset(
    words(
        """
        Ministry Department Dept Dept. Agency Association Associations Council Committee
            Commission Board Authority Bureau Office Service Services University College School
            Academy Institute Institution Centre Center Laboratory Laboratories Observatory
            Museum Library Hospital Clinic Foundation Trust Fund Society Union Federation League
            Alliance Coalition Party Movement Front Group Company Corporation Corp Corp. Inc
            Inc. Ltd Ltd. Limited LLC PLC Plc Co Co. Holdings Industries Enterprises Partners
            Bank Exchange Airlines Airline Airways Motors Petroleum Telecom Pharmaceuticals
            Technologies Organisation Organization Forces Force Army Navy Military Guard Police
            Court Tribunal Parliament Congress Senate Assembly Cabinet Government Administration
            Secretariat Registry Embassy Consulate Club Team Studios Publishing Communications
            Consulting
            Associates Insurance Investments Ventures Co-operative Cooperative Growers Producers
            Chamber Times News Post Herald Journal Gazette Tribune Chronicle Telegraph Weekly
            Daily Magazine Press Radio Television TV Network Channel Broadcasting Democrats
            Republicans Liberals Nationals Greens Labor Labour Conservatives Brigade Regiment
            Battalion Division Corps Squadron Fleet Command Nations Reserve Commonwealth Shire
            Workers Employees Unions Brotherhood Mining Energy Resources Airport Railways Railway
            Cathedral Church
        """
    )
)
#: A run ending in one of these is a place (a landmark or facility), not an organisation.
FACILITIES = frozenset(
    words(
        """
        Square Park Gardens Stadium Arena Station Bridge Palace Castle Tower Towers Capitol
            Plaza Mall Dam Wharf Pier Monument Memorial Cemetery Hill Abbey Basilica Mosque
            Temple
        """
    )
)
#: Words that alone, or with only these before them, name no particular organisation.
GENERIC = frozenset(
    words(
        """
        The the Federal State National Government Department Ministry Council Committee
            Commission Board Authority Bureau Office Service Services University College School
            Academy Institute Centre Center Hospital Foundation Trust Fund Society Union Party
            Group Company Corporation Corp Bank Court Police Army Navy Military Forces Force
            Opposition Association Agency Administration Club Team Airport Exchange Network
            Station Press News Unions Workers Employees Church Cathedral Shire Local Regional
            Public Cabinet Assembly Reserve Commonwealth Coalition Division Command Fleet
            International Global World Western Eastern Northern Southern New Old Royal
            Department's Ministry's Government's Council's
        """
    )
)
#: Single words that name one organisation on their own.
SINGLE = frozenset(
    words(
        "Senate Congress Parliament Coalition Labor Labour Nationals Greens Democrats Republicans"
    )
)
#: Words a capitalised organisation name never ends with: events, laws and plans.
_NOT_LAST = frozenset(
    words(
        """
        Cup Games Olympics Championship Championships Festival Show Awards Prize Conference
            Summit Forum Inquiry Report Act Law Code Policy Strategy Plan Scheme Index War Wars
            Program Programme Project Initiative Street Road Avenue Drive Lane Boulevard Highway
            Market Markets Farm Farms Estate Winery Brewery Dairy Protocol Agreement Treaty
            Accord Pact Convention Charter Declaration Memorandum Partnership Deal Statement
            Scale Crisis Revolution Dynasty Empire Kingdom Republic
        """
    )
)
#: Acronyms that are no organisation.
_NOT_ACRONYMS = frozenset(
    words(
        """
        AIDS HIV CEO CFO GDP GNP DNA RNA TV AM PM OK CD CDs DVD PC ID IQ MP MPs MLA CT MRI UV
            GM IVF SARS BSE FM AC DC USB IT AI PR VAT GST PhD PHD BA BSc MBA NB PS RSVP UFO
            LNG LPG CO2 EST GMT UTC AD BC WMD POW POWs ICBM US USA UK EU UAE PRC DPRK ROK NSW
            SUV ATM GPS HQ ASAP FAQ DIY NGO NGOs MW KW GW PIN TNT LSD CCTV ETA KM
        """
    )
)
_ROLE_AFTER = (
    r"chairman|chairwoman|chairperson|chief[ \u00a0]+executive|spokesman|spokeswoman|"
    r"spokesperson|managing[ \u00a0]+director|boss|general[ \u00a0]+manager|president|"
    r"head[ \u00a0]+of|executive[ \u00a0]+director|director|secretary|chief|employees|workers"
)


_TRAILING = frozenset(words("of the and for de MPs MP MLAs MPPs Senators Members"))


def classify(tokens: list[str], gaz: Gazetteer, *, known: bool = False) -> tuple[str, str] | None:
    """("organisation" or "place", canonical name) for a capitalised run, or None.

    ``known``: the caller already knows the run names an organisation (it ends in a
    country: "Meat and Livestock Australia").
    """
    while tokens and tokens[0] in ("The", "the"):
        tokens = tokens[1:]
    while tokens and tokens[-1] in _TRAILING:  # "Coalition MPs": the party
        tokens = tokens[:-1]
    if not tokens:
        return None
    whole = fold(" ".join(tokens))
    if whole in gaz.org_names:
        return ORGANISATION, gaz.org_names[whole]
    if whole in gaz.organisations:
        return ORGANISATION, whole
    last = tokens[-1]
    if len(tokens) >= 2 and last in FACILITIES:
        return PLACE, whole
    if last in _NOT_LAST:
        return None
    if len(tokens) == 1:
        return (ORGANISATION, whole) if known or tokens[0] in SINGLE else None
    if all(word in GENERIC for word in tokens):
        return None
    if known or any(word in HEADS for word in tokens):
        return ORGANISATION, _without_suffix(whole, gaz)
    return None


#: Company suffixes left out of the canonical name: "General Motors Corp." is "General Motors".
_COMPANY_SUFFIXES = (
    " Corp.",
    " Corp",
    " Inc.",
    " Inc",
    " Ltd.",
    " Ltd",
    " Co.",
    " Co",
    " Plc",
    " PLC",
    " LLC",
)


def _without_suffix(name: str, gaz: Gazetteer) -> str:
    for suffix in _COMPANY_SUFFIXES:
        if name.endswith(suffix) and name.count(" ") >= 1:
            short = name[: -len(suffix)]
            return gaz.org_names.get(short, short)
    return name


def team(words: list[str], gaz: Gazetteer) -> str | None:
    """ "Dallas Cowboys", "New York Giants": a city or state and a plural is a team."""
    if len(words) < 2 or not words[-1].endswith("s") or words[-1].endswith(("ians", "ans")):
        return None
    hit = gaz.places.get(fold(" ".join(words[:-1])))
    if hit is None or hit[1] < 2 or fold(words[-1]) in gaz.places or words[-1] in HEADS:
        return None
    return fold(" ".join(words))


_AMPERSAND_RE = re.compile(
    r"(?<![\w'’.-])(?P<name>[A-Z][\w'’.-]*(?:[ \u00a0][A-Z][\w'’.-]*)?[ \u00a0]?&[ \u00a0]?"
    r"[A-Z][\w'’-]*(?:[ \u00a0](?:Co\.|Company|Sons|Partners|Associates))?)"
)


def ampersand_names(body: str) -> list[Candidate]:
    """ "Procter & Gamble", "Johnson & Johnson", "AT&T": names joined by "&" are firms."""
    if "&" not in body:
        return []
    found = []
    for match in _AMPERSAND_RE.finditer(body):
        name = fold(match["name"].rstrip("."))
        found.append(Candidate(match.start(), match.start() + len(name), ORGANISATION, name, 3))
    return found


#: Heads that take "for", "on" or "and" inside a name: "Center for Responsible Nanotechnology".
_JOINING_HEADS = (
    "Center|Centre|Council|Commission|Committee|Department|Ministry|Office|Bureau|Agency|"
    "Association|Foundation|Organisation|Organization|Institute|Society|Alliance|Coalition|"
    "Campaign|Fund|League|Union|Federation|Board|Authority|Party|Movement|Network|School"
)


_TIME_WORDS = (
    "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    "May|June|July|August|September|October|November|December)"
)


_JOIN_RE = re.compile(
    rf"(?<![\w-])(?:{_JOINING_HEADS})[ \u00a0]+(?:for|on|and|against)[ \u00a0]+(?:the[ \u00a0]+)?"
    rf"(?!{_TIME_WORDS}\b)(?=[A-Z])"
)


@functools.cache
def _around_re(cap: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    before = re.compile(rf"(?:{cap}[ \u00a0]+){{0,3}}\Z")
    after = re.compile(rf"{cap}(?:[ \u00a0]+(?:of[ \u00a0]+)?{cap}){{0,4}}")
    return before, after


def _run_before(body: str, at: int, before: re.Pattern[str]) -> int:
    """Where the capitalised words just before ``at`` start (``at`` when there are none)."""
    window = max(0, at - 80)
    match = before.search(body, window, at)
    return match.start() if match else at


def joined_names(body: str, cap: str) -> list[Candidate]:
    """Names joined by "for", "on" or "and" after an organisation's head word."""
    before, after = _around_re(cap)
    found = []
    for match in _JOIN_RE.finditer(body):
        rest = after.match(body, match.end())
        if rest is None:
            continue
        start = _run_before(body, match.start(), before)
        words = body[start : rest.end()].split()
        while words and words[0] in ("The", "the"):
            start = body.index(words[1], start + len(words[0])) if len(words) > 1 else start
            words = words[1:]
        found.append(Candidate(start, rest.end(), ORGANISATION, fold(" ".join(words)), 3))
    return found


_ACRONYM_RE = re.compile(r"\b([A-Z][A-Z&]{1,6})\b")
_ROLE_RE = re.compile(rf"\b(?:{_ROLE_AFTER})\b")
#: The words the two patterns start with: a body with none of them is not scanned.
_ROLE_STARTS = (
    "chair",
    "chief",
    "spokes",
    "managing",
    "boss",
    "general",
    "president",
    "head",
    "executive",
    "director",
    "secretary",
    "employees",
    "workers",
)
_KIND_STARTS = (
    "party",
    "union",
    "group",
    "movement",
    "militia",
    "rebels",
    "newspaper",
    "daily",
    "weekly",
    "magazine",
    "agency",
    "airline",
    "network",
    "channel",
)
_BRACKETED_RE = re.compile(r" \((?P<acr>[A-Z][A-Z&]{1,7})\)")
_KIND_RE = re.compile(
    r"\b(?:party|union|group|movement|militia|rebels|newspaper|daily|weekly|magazine|agency|"
    r"airline|network|channel)\b"
)


def link_organisations(
    kept: list[Candidate], body: str, gaz: Gazetteer, cap_token: str, vocab: set[str]
) -> list[Candidate]:
    """Organisation mentions only the whole article reveals (see the module docstring)."""
    before, _after = _around_re(cap_token)
    taken = Occupied()
    for cand in sorted(kept, key=lambda c: c.start):
        taken.add(cand.start, cand.end)
    added: list[Candidate] = []

    def add(start: int, end: int, name: str, strength: int = 2) -> None:
        if not taken.hits(start, end):
            added.append(Candidate(start, end, ORGANISATION, name, strength))
            taken.add(start, end)

    # Short forms of a longer name in the same article: "the Conservation Foundation".
    orgs = [c for c in kept if c.type == ORGANISATION]
    starts: dict[str, list[int]] = {}
    for cand in sorted(orgs, key=lambda c: c.start):
        starts.setdefault(cand.name, []).append(cand.start)
    longer: dict[str, list[str]] = {}  # "Farmers Federation" -> ["National Farmers Federation"]
    for name in starts:
        for at, char in enumerate(name):
            if char == " ":
                longer.setdefault(name[at + 1 :], []).append(name)
    for cand in orgs:
        if cand.name in longer and len(cand.name.split()) >= 2:
            cand.name = _fuller_name(cand, longer[cand.name], starts, body)
    # "Center for Responsible Nanotechnology (CRN)": the acronym names it from then on.
    acronyms: dict[str, str | None] = {}
    for cand in orgs:
        if body.startswith(" (", cand.end):
            close = body.find(")", cand.end + 2, cand.end + 12)
            inner = body[cand.end + 2 : close] if close > 0 else ""
            if inner.isupper() and inner.replace("&", "").isalpha() and 2 <= len(inner) <= 8:
                acronyms[inner] = cand.name
    for match in _BRACKETED_RE.finditer(body) if " (" in body else ():
        if body[match.start() - 1 : match.start()].islower():
            acronyms.setdefault(match["acr"], None)  # defined after lower-case words: no body
    counts: Counter[str] = Counter()
    spans: dict[str, list[tuple[int, int]]] = {}
    for match in _ACRONYM_RE.finditer(body):
        word = match.group(1)
        prev, nxt = body[match.start() - 1 : match.start()], body[match.end() : match.end() + 2]
        if (
            prev in (".", "&", "-", "'", "’")
            or nxt[:1] in ("&", "-")
            or (nxt[:1] == "." and nxt[1:2].isalnum())
        ):
            continue
        counts[word] += 1
        spans.setdefault(word, []).append(match.span(1))
    for word, where in spans.items():
        name = acronyms.get(word, "")
        if name is None or word in _NOT_ACRONYMS or word in gaz.places:
            continue
        if not name:
            if counts[word] < 2 or (len(word) < 3 and word not in gaz.org_names):
                continue
            name = gaz.org_names.get(word, word)
        for start, end in where:
            add(start, end, name)
    # "AWI chairman Ian McLachlan", "Rabobank head of rural banking", "the Likud party".
    for pattern, starts in ((_ROLE_RE, _ROLE_STARTS), (_KIND_RE, _KIND_STARTS)):
        if not any(word in body for word in starts):
            continue
        for match in pattern.finditer(body):
            end = match.start() - 1
            if end < 1 or body[end] not in " \u00a0" or not body[end - 1].isalnum():
                continue
            start = _run_before(body, end + 1, before)
            text = body[start:end]
            if start >= end or not text[:1].isupper():
                continue
            first = text.split()[0]
            if sentence_initial(body, start) and first.lower() in vocab:
                continue
            if fold(text) in gaz.places or fold(text) in gaz.people:
                continue
            if all(word in GENERIC for word in text.split()) or text in DEMONYMS:
                continue
            if (
                pattern is _ROLE_RE
                and len(text.split()) == 1
                and not text.isupper()
                and (
                    first.lower() in vocab
                    or first in gaz.given_names
                    or sentence_initial(body, start)
                )
            ):
                continue
            add(start, end, gaz.org_names.get(fold(text), fold(text)))
    return added


def _fuller_name(
    cand: Candidate, longer: list[str], starts: dict[str, list[int]], body: str
) -> str:
    """The one of the ``longer`` names (each ends in ``cand``'s) that ``cand`` stands for.

    The one whose extra words stand just before it ("The National | Farmers Federation":
    a word that starts the sentence was left out), the longest such; else the one named
    last before it; else the one named first after it; then by name. Never the order of
    a set: that changed with PYTHONHASHSEED, and with it which name won.
    """

    def rank(name: str) -> tuple[int, int, str]:
        extra = name[: -len(cand.name)].split()
        before = body[max(0, cand.start - 2 * len(name)) : cand.start].split()
        if [fold(word) for word in before[-len(extra) :]] == extra:
            return 0, -len(name), name
        at = starts[name]
        index = bisect.bisect_left(at, cand.start)
        if index:
            return 1, cand.start - at[index - 1], name
        return 2, at[index] - cand.start, name

    return min(longer, key=rank)
