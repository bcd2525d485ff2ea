"""Agreement mentions in an article body, before they are linked into agreements.

Mentions are noun phrases around an agreement word ("the 2011 memorandum of
understanding", "a two-year wage pact"), names where the word leads ("Treaty of
Rome", "General Agreement on Tariffs and Trade (GATT)") and acronyms tied to
their long form. What is not one: the verb, "in agreement with", futures
contracts and contract months, a "contract price", "no agreement", "such deals"
(agreements of a class, not one agreement).

:func:`find_agreements` gives them in order as :class:`Found` items; the words
before and after each agreement word are read by
:mod:`reader.entities.agreement_phrases`, and :mod:`reader.entities.agreements`
links the mentions into records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.entities import rules
from reader.entities.agreement_phrases import (
    CLASS_WORDS,
    INDEFINITE,
    POST_RE,
    clean_label,
    postmodifier_end,
    walk_left,
)
from reader.entities.candidates import Candidate, Occupied, sentence_initial
from reader.entities.model import AGREEMENT_KINDS

AGREEMENT = "agreement"
_S = r"[ \u00a0]+"

#: Agreement words, lower-case forms; the kind each one gives.
HEAD_RE = re.compile(
    r"(?<![\w-])(?=[adtpcmlstADTPCMLST])(?P<head>agreements?|deals?|treat(?:y|ies)|pacts?|accords?|contracts?|"
    rf"memorand(?:um|ums|a)(?:{_S}of{_S}understanding)?|MoUs?|MOUs?|"
    rf"letters?{_S}of{_S}intent|settlements?|arrangements?|protocols?|conventions?|charters?|"
    rf"partnerships?|cease-?fires?|truces?|codes?(?:{_S}of{_S}(?:conduct|practice))?)(?![\w-])",
    re.IGNORECASE,
)
KINDS = AGREEMENT_KINDS
#: Heads too common as other words to stand alone: they need a name, a telling
#: modifier, or a verb of agreeing in their sentence.
_AMBIGUOUS = frozenset(
    {"contract", "settlement", "protocol", "convention", "charter", "code", "arrangement"}
)
_WEAK = frozenset({"deal", "accord", "arrangement", "agreement", "partnership", "contract"})
_AGREEING_RE = re.compile(
    r"\b(?:sign\w*|ink\w*|seal\w*|struck|strike|reach\w*|ratif\w*|negotiat\w*|agree\w*|"
    r"breach\w*|terminat\w*|renew\w*|award\w*|won|win|secur\w*|clinch\w*|broker\w*|"
    r"violat\w*|honou?r\w*|implement\w*)\b",
    re.IGNORECASE,
)
_TELLING_MODIFIERS = frozenset(
    rules.words(
        """
        peace trade legal court out-of-court native land wage pay enterprise multi-million
            million billion year two-year three-year five-year ten-year
            long-term new free bilateral international government federal state

        """
    )
)
#: Phrases with an agreement word that name no agreement.
_NOT_RE = re.compile(
    r"(?:great|good|big|fair|fairer|better|best|poor|rough|raw|square|whole)[ \u00a0]+deal\b|"
    r"\b(?:remarkable|close|broad|general|full|complete|total|unanimous|wide|widespread|little|"
    r"much|reasonable|strong|good|in|into|of)[ \u00a0]+agreement\b|"
    r"\b(?:that|who|which|to|and|they|we|you|i|can|could|will|would|must|should|also|better|"
    r"helps?|how)[ \u00a0]+deal[ \u00a0]+with\b|"
    r"\b(?:own|in)[ \u00a0]+accord\b|\bin[ \u00a0]+partnership\b|\bin[ \u00a0]+agreement\b|"
    r"\bfutures?[ \u00a0]+contracts?\b|\bcontracts?[ \u00a0]+"
    r"(?:month|months|price|prices|high|low|highs|lows|rate|rates|basis|farming|farmer|"
    r"worker|workers|staff|killing|killer|harvest\w*|position\w*)\b|"
    r"\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|benchmark|nearby|front-month|spot)[ \u00a0]+contracts?\b|"
    r"\bcode[ \u00a0]+(?:name|word)|\bpostcode|\b(?:human|lunar|first)[ \u00a0]+settlement|"
    r"\bsettlement[ \u00a0]+(?:area|areas|house|houses|pattern|patterns)\b|"
    r"\bconvention[ \u00a0]+(?:centre|center|hall)\b|"
    r"\bcharter[ \u00a0]+(?:flight|flights|plane|boat|boats)\b|"
    r"\binternet[ \u00a0]+protocol|\bprotocol[ \u00a0]+(?:officer|department)",
    re.IGNORECASE,
)
_POSSESSIVE = frozenset(rules.words("its their his her our your my"))
#: Nouns after an agreement word that make it a modifier: "trade deal authority".
_NOUN_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:authority|talks|negotiations?|negotiators?|process|making|makers?|breakers?|"
    r"approval|terms|signing|text|details|partners|system|systems|arrangements?|rules?|"
    r"obligations|disputes?|dispute|law|laws|farming|growers?|workers?|staff)\b",
    re.IGNORECASE,
)
#: "the two sides reached agreement on ...": wire style, no article before the word.
_REACHED_RE = re.compile(
    r"\b(?:reach\w*|sign\w*|struck|conclud\w*|clinch\w*|announc\w*)[ \u00a0]+$", re.IGNORECASE
)
#: An agreement that was not made.
_NOT_REACHED_RE = re.compile(
    r"\b(?:(?:fail\w*|unable|refus\w*|not)[ \u00a0]+to[ \u00a0]+"
    r"(?:reach|agree[ \u00a0]+on|sign|strike|conclude|clinch)|"
    r"(?:did|does|do|could|would|has|have|had)[ \u00a0]*(?:not|n't)[ \u00a0]+"
    r"(?:reach|sign|strike|conclude)|without)[ \u00a0]+"
    r"(?:an?[ \u00a0]+|the[ \u00a0]+|any[ \u00a0]+)?$",
    re.IGNORECASE,
)
#: Capitalised words after an agreement word that make the run an organisation.
_ORG_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:Organi[sz]ation|Secretariat|Commission|Council|Committee|Office|Authority|"
    r"Centre|Center|Party|Department|Unit|Division|Group|Society)\b"
)
_MONTH_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:of|on|in)[ \u00a0]+(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday)\b"
)
#: Capitalised words that make a run the name of a body, not of an agreement.
_BODY_WORDS = frozenset(
    rules.words(
        """
        Ministry Department Office Bureau Committee Commission Council Agency Organization
            Organisation Institute University Company Corp Corporation Party Secretariat Court
        """
    )
)
_CAP_WORD = r"[A-Z][\w'’.&-]*"
#: A name where the agreement word leads or closes: "Treaty of Rome", "General
#: Agreement on Tariffs and Trade", "Kyoto Protocol", "Camp David Accords".
_NAMED_RE = re.compile(
    rf"(?P<before>(?:{_CAP_WORD}{_S}){{0,5}})"
    r"(?P<head>Agreements?|Treat(?:y|ies)|Pacts?|Accords?|Memorand(?:um|a)(?: of Understanding)?|"
    r"Protocols?|Conventions?|Charters?|Settlements?|Partnerships?|Ceasefire|Contracts?|Codes?|"
    r"Arrangements?|Truce)"
    rf"(?P<after>(?:{_S}(?:of|on|for|between|to)(?:{_S}(?:the|a))?"
    rf"(?:{_S}(?:{_CAP_WORD}|and|in|of|on|the|for|to)){{0,8}}{_S}{_CAP_WORD})?)"
    rf"(?P<acronym>{_S}\((?P<short>[A-Z][A-Za-z]{{1,8}})\))?"
)
_ACRONYM_AFTER_RE = re.compile(rf"{_S}?\((?:the{_S})?(?P<short>[A-Z][A-Z0-9]{{1,7}}s?)\)")


@dataclass(slots=True)
class Found:
    """One agreement mention, before linking: its span, its kind and the words that name it."""

    start: int
    end: int
    kind: str
    #: the words that name it: modifiers, head, what follows it
    label: str
    definite: bool
    named: bool = False
    acronym: str = ""
    plural: bool = False
    #: its only modifiers are names of places ("the Japan-Vietnam agreement")
    place_named: bool = False
    #: words after the agreement word name it ("agreement on trade", "deal allowing ...")
    post: bool = False
    #: it lies in the words that name the agreement before it: the same agreement
    joins: bool = False
    label_spans: list[tuple[int, int]] = field(default_factory=list)


def kind_of(head: str) -> str:
    """The kind an agreement word gives: "memorandums of understanding" -> "memorandum"."""
    word = " ".join(head.lower().split())
    if word.startswith(("memorand", "mou")):
        return "memorandum"
    if word.startswith("letter"):
        return "letter of intent"
    if word.startswith("treat"):
        return "treaty"
    if word.startswith(("cease", "truce")):
        return "ceasefire"
    for kind in KINDS:
        if word.startswith(kind):
            return kind
    return "agreement"


def find_agreements(body: str, kept: list[Candidate]) -> list[Found]:
    """Agreement mentions in ``body``, in order, none overlapping ``kept`` or each other."""
    spans = Occupied()
    for cand in kept:
        if cand.type != AGREEMENT:
            spans.add(cand.start, cand.end)
    named = _named(body)
    for cand in kept:
        if cand.type == AGREEMENT and not any(
            n.start < cand.end and cand.start < n.end for n in named
        ):
            text = " ".join(body[cand.start : cand.end].split())
            last = text.split()[-1] if text.split() else ""
            named.append(Found(cand.start, cand.end, kind_of(last), text, True, named=True))
    named.sort(key=lambda f: f.start)
    taken = Occupied()
    for item in named:
        taken.add(item.start, item.end)
    found: list[Found] = list(named)
    last_end = 0
    joined_until = 0
    for match in _heads(body):
        h_start, h_end = match.span()
        head = match["head"]
        if h_start < last_end or taken.hits(h_start, h_end) or spans.hits(h_start, h_end):
            continue
        if head[:1].isupper() and head.lower() not in ("mou", "mous") and not head.isupper():
            if not sentence_initial(body, h_start):
                continue  # a capitalised word inside a name the named pass did not take
        elif head.isupper() and head.lower() not in ("mou", "mous"):
            continue
        near = body[max(0, h_start - 14) : h_end + 16]
        if _NOT_RE.search(near) or _NOUN_AFTER_RE.match(body, h_end):
            continue
        kind = kind_of(head)
        start, determiner, modifiers, label_start = walk_left(body, h_start, spans)
        if start < last_end:  # never reach back into the previous phrase
            start, determiner, modifiers, label_start = h_start, "", [], h_start
        plural = head.lower().endswith(("s", "ies")) and not head.lower().endswith(
            ("understanding", "intent")
        )
        if determiner in CLASS_WORDS:
            continue  # "such deals", "no agreement was reached": not one agreement
        if _NOT_REACHED_RE.search(body, max(0, start - 40), start):
            continue  # "failed to reach a deal", "no agreement": none was made
        if (
            kind in _WEAK
            and not determiner
            and not modifiers
            and not plural
            and not _REACHED_RE.search(body, max(0, start - 30), start)
        ):
            continue  # "to deal with", "agreement was reached" without "the"
        if kind == "deal" and not determiner and body.startswith(" with", h_end):
            continue  # "rural communities deal with depression": the verb
        if (
            plural
            and determiner in _POSSESSIVE
            and not rules.AGREEMENT_TAIL_RE.match(body, h_end)
            and not POST_RE.match(body, h_end)
        ):
            continue  # "its supply contracts", "their agreements": a class
        if (
            plural
            and determiner in ("", "new")
            and not _SIGNED_PLURAL_RE.search(body[max(0, h_start - 12) : h_end + 4])
        ):
            continue  # "signed agreements include ...": agreements of a class
        end = h_end
        tail = rules.AGREEMENT_TAIL_RE.match(body, h_end)
        if tail and tail["tail"].split()[0] not in rules.MODIFIER_STOPS:
            end = tail.end()
            words = tail["tail"].split()
            if len(words) > 1 and words[-1].lower() in _TAIL_STOPS:
                # "agreement on semiconductors last July": the date is not its name
                end = tail.start("tail") + tail["tail"].rindex(words[-1])
                end = len(body[:end].rstrip())
        label_end = end
        if end == h_end:
            when = _WHEN_AFTER_RE.match(body, h_end) or _WITH_NAME_RE.match(body, h_end)
            post = postmodifier_end(body, when.end() if when else h_end)
            label_end = post if post > (when.end() if when else h_end) else h_end
            if when and label_end > h_end:  # "agreement on Saturday enabling ...": drop the day
                label_text = body[label_start:h_end] + body[when.end() : label_end]
            else:
                label_text = None
        else:
            label_text = None
        if kind in _AMBIGUOUS and not _agreement_context(body, start, end, modifiers, determiner):
            continue
        definite = determiner not in INDEFINITE and (determiner != "" or not plural)
        inner = HEAD_RE.search(body, h_end, label_end) if label_end > h_end else None
        if inner and label_text is None:
            # "reached agreement on a new wage contract": one agreement, named by its tail
            label_end = inner.end()
            join_until = label_end
        else:
            join_until = 0
        label = clean_label(label_text or body[label_start:label_end])
        item = Found(start, end, kind, label, definite, plural=plural)
        item.place_named = label_start < start and not modifiers
        item.post = label_end > h_end
        short = _ACRONYM_AFTER_RE.match(body, end)
        if short:
            item.acronym = short["short"]
        if start < joined_until and found:
            item.joins = True
        found.append(item)
        last_end = end
        joined_until = max(joined_until, join_until)
    found.sort(key=lambda f: f.start)
    return _with_acronyms(body, found, spans)


_NAMED_HEAD_RE = re.compile(
    r"(?:Agreement|Treat|Pact|Accord|Memorand|Protocol|Convention|Charter|Settlement|"
    r"Partnership|Ceasefire|Contract|Code|Arrangement|Truce)"
)


_STEMS = (
    "agreement",
    "deal",
    "treat",
    "pact",
    "accord",
    "contract",
    "memorand",
    "mou",
    "letter",
    "settlement",
    "arrangement",
    "protocol",
    "convention",
    "charter",
    "partnership",
    "cease",
    "truce",
    "code",
)


def _heads(body: str) -> list[re.Match[str]]:
    """``HEAD_RE.finditer(body)``, three times faster: ``str.find`` of each word's stem
    picks the places where the pattern is tried (a regex with an alternation of words
    is tried at every character)."""
    lower = body.lower()
    if len(lower) != len(body):  # a character whose lower case is longer: offsets differ
        return list(HEAD_RE.finditer(body))
    places: set[int] = set()
    for stem in _STEMS:
        at = lower.find(stem)
        while at != -1:
            places.add(at)
            at = lower.find(stem, at + 1)
    out = []
    end = -1
    for at in sorted(places):
        if at < end:
            continue
        match = HEAD_RE.match(body, at)
        if match:
            out.append(match)
            end = match.end()
    return out


def _named(body: str) -> list[Found]:
    out: list[Found] = []
    if not _NAMED_HEAD_RE.search(body):  # most articles: the long pattern is not worth running
        return out
    for match in _NAMED_RE.finditer(body):
        before = match["before"].split()
        head = match["head"]
        after = match["after"]
        # drop sentence-initial function words and a leading "The"
        start = match.start()
        while before and (
            before[0] in ("The", "A", "An", "This", "That") or before[0].endswith(".")
        ):
            start = body.index(before[0], start) + len(before[0])
            while body[start] in " \u00a0":
                start += 1
            before = before[1:]
        if not before and (not after or sentence_initial(body, match.start("head"))):
            continue  # "Contracts on Chicago ...": a sentence's first word, or a heading
        end = match.end("after") if after else match.end("head")
        when = _MONTH_AFTER_RE.search(body, match.end("head"), end) if after else None
        if when:  # "Plaza Agreement of September 1985": the date is not its name
            end = when.start()
            after = body[match.end("head") : end]
        if _ORG_AFTER_RE.match(body, end):
            continue
        if (
            before
            and not after
            and kind_of(head) in ("partnership", "settlement", "code", "contract")
        ):
            continue  # "Regional Partnership", "Pacific Settlement": likely names of bodies
        if any(word in _BODY_WORDS for word in before):
            continue  # "Ministry of ... Protocol"
        item = Found(
            start,
            end,
            kind_of(head),
            " ".join(body[start:end].split()) + (f" ({match['short']})" if match["short"] else ""),
            True,
            named=True,
            plural=head.endswith("s") and not head.endswith("Understanding"),
        )
        if match["short"]:
            item.acronym = match["short"]
        out.append(item)
    return out


def _with_acronyms(body: str, found: list[Found], spans: Occupied) -> list[Found]:
    """Later uses of an acronym tied to its long form ("(GATT)") are mentions of it."""
    acronyms = {f.acronym: f for f in found if f.acronym}
    if not acronyms:
        return found
    taken = Occupied()
    for item in found:
        taken.add(item.start, item.end + 2 + len(item.acronym) + 2)
    extra: list[Found] = []
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in acronyms) + r")\b")
    for match in pattern.finditer(body):
        if taken.hits(match.start(), match.end()):
            continue
        owner = acronyms[match[1]]
        if match.start() < owner.start:
            continue
        extra.append(
            Found(match.start(), match.end(), owner.kind, owner.label, True, acronym=match[1])
        )
    return sorted(found + extra, key=lambda f: f.start)


_UNDER_RE = re.compile(
    r"\bunder[ \u00a0]+(?:the[ \u00a0]+|a[ \u00a0]+|an[ \u00a0]+|its[ \u00a0]+|their[ \u00a0]+)?$"
)
_COUNTS = frozenset(rules.words("two three four five six seven eight nine ten several both"))


def _agreement_context(
    body: str, start: int, end: int, modifiers: list[str], determiner: str
) -> bool:
    if any(m.lower() in _TELLING_MODIFIERS or m[:1].isdigit() for m in modifiers):
        return True
    if determiner in _COUNTS or "code of" in body[start:end].lower():
        return True
    if _UNDER_RE.search(body, max(0, start - 14), start):
        return True  # "under the contract"
    if re.match(r"[ \u00a0]+(?:between|with)[ \u00a0]", body[end : end + 10]):
        return True  # "a contract between ...", "a settlement with ..."
    if any(m[:1].isupper() for m in modifiers):
        return True
    sentence_start = max(body.rfind(".", 0, start), body.rfind("\n", 0, start)) + 1
    sentence_end = min(x for x in (body.find(". ", end), body.find("\n", end), len(body)) if x >= 0)
    return bool(_AGREEING_RE.search(body, sentence_start, sentence_end))


#: "an agreement with Japan on steps to reopen ...": the partner, then what it is about.
_WITH_NAME_RE = re.compile(
    r"[ \u00a0]+with[ \u00a0]+(?:the[ \u00a0]+)?[A-Z][\w.-]*(?:[ \u00a0]+[A-Z][\w.-]*){0,3}"
    r"(?=[ \u00a0]+on\b)"
)


#: "by signing memorandums to facilitate ...": a bare plural that is agreements made.
_SIGNED_PLURAL_RE = re.compile(
    r"\b(?:signing|signed|sign|inked|struck|reached)[ \u00a0]+\w+[ \u00a0]+(?:to|on|for)[ \u00a0]",
    re.IGNORECASE,
)
_WHEN_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:(?:on|last)[ \u00a0]+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
    r"[A-Z][a-z]{2,8}\.?[ \u00a0]+\d{1,2})(?:[ \u00a0]*\([^()]{1,20}\))?|in[ \u00a0]+principle)"
)
#: Words that end the words after an agreement word: a date follows.
_TAIL_STOPS = frozenset(
    rules.words(
        """
        last this next early late earlier later yesterday today tonight
        """
    )
)
