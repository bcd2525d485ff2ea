"""Signs the recognizer reads around a capitalised run: is it a person, a place, a title?

Split out of :mod:`reader.entities.recognizer` (which drives the layers): the
per-article state :class:`_Doc`, the word lists the layers share, and the tests
that weigh a run ("a sign of a person", "a place where one is expected", where a
title ends and a name begins).
"""

from __future__ import annotations

import functools
import re

from reader.entities import names, rules
from reader.entities.candidates import Candidate
from reader.entities.gazetteer import AMBIGUOUS, STRONG, Gazetteer
from reader.entities.rules import fold
from reader.entities.rules import words as _words

_LOCATIVE = frozenset(
    _words(
        """
        in at from near to around outside across towards toward via into of north south east
            west northern southern eastern western central between and visiting visit
        """
    )
)
_CONNECTORS = names.PARTICLES | frozenset(_words("of the y la le"))
_NAME_PARTICLES = names.PARTICLES | frozenset(_words("y la le"))
_FEATURE_AFTER_RE = re.compile(
    r"[ \u00a0]+(islands|island chain|island|sea|seas|river|mountains|strait|peninsula)(?![\w-])"
)
_PERSON, _PLACE, _AGREEMENT = "person", "place", "agreement"
_OCEANS = frozenset(_words("Pacific Atlantic Arctic"))
#: "Indonesian island" is no island's name.
_DEMONYM_ENDINGS = ("ian", "ese", "ish", "ean", "can", "ern")


class _Doc:
    """Per-call state: the body and what has been found so far."""

    __slots__ = (
        "beyond_ascii",
        "body",
        "cands",
        "caps",
        "leftovers",
        "lower_vocab",
        "maybe_people",
        "person_hint",
    )

    def __init__(self, body: str) -> None:
        self.body = body
        #: The distinct characters beyond ASCII: whether there is CJK, which capitals.
        self.beyond_ascii = rules.beyond_ascii(body)
        #: The patterns for capitalised words that suit this body.
        self.caps = rules.capital_patterns(self.beyond_ascii)
        self.cands: list[Candidate] = []
        #: Two- or three-word runs with no sign of anything: people if the surname recurs.
        self.maybe_people: list[list[tuple[int, int, str]]] = []
        #: Capitalised tokens no rule claimed, for linking: (start, end, text).
        self.leftovers: list[tuple[int, int, str]] = []
        self.lower_vocab: set[str] | None = None
        #: Single words a title or role marked as a person ("Mr Geary").
        self.person_hint: set[str] = set()

    def vocab(self) -> set[str]:
        if self.lower_vocab is None:
            self.lower_vocab = set(rules.LOWER_WORD_RE.findall(self.body))
        return self.lower_vocab


# -- helpers for layer 1 -------------------------------------------------------------------------

_SURNAME_FIRST = names.SURNAME_FIRST


@functools.cache
def _appositive_re() -> re.Pattern[str]:
    """An age or a role after a name: ", 45,", ", a researcher at", ", the group's spokeswoman".

    Compiled on first use: the alternation of role words is slow to compile, and
    most articles never need it.
    """
    roles = "|".join(sorted(map(re.escape, rules.ROLE_WORDS), key=len, reverse=True))
    return re.compile(
        r",[ \u00a0]+(?:\d{1,3}[ \u00a0]*,|(?:a|an|the)[ \u00a0]+(?:\d{1,3}-year-old|"
        r"(?:[\w'’-]+[ \u00a0]+){0,4}?"
        rf"(?:{roles})s?(?![\w-])))"
    )


_POSSESSIVE_RE = re.compile(r"['’]s[ \u00a0]+([a-z]+)(?:[ \u00a0]+([a-z]+))?")
#: What a person has: "Saddam Hussein's government", "Yeltsin's chief of staff".
_POSSESSED = frozenset(
    _words(
        """
        government aides aide spokesman spokeswoman spokesperson wife husband son sons daughter
            daughters mother father brother sister family lawyer lawyers attorney attorneys
            office administration regime cabinet supporters opponents allies death funeral
            election re-election campaign visit resignation successor predecessor guards
            bodyguards doctors physician biographer widow adviser advisers advisor chief
            presidency premiership leadership tenure rule troops followers home
        """
    )
)
#: Plural nouns that say things in news without being anyone's name.
_GROUPS = frozenset(
    _words(
        """
        Officials Police Authorities Analysts Witnesses Residents Experts Sources Critics
            Scientists Researchers Doctors Prosecutors Investigators Diplomats Aides Organizers
            Organisers Others Both Many Some Most Everyone Nobody Spokesmen Lawyers Economists
            Traders Dealers Farmers Growers Producers Officers Workers Leaders Members Voters
            Parents Students Teachers Protesters Rebels Troops Soldiers Survivors Neighbors
            Neighbours Relatives Friends Observers Participants Delegates Negotiators Executives
        """
    )
)


def _after_quote(body: str, start: int) -> bool:
    """Whether a closing quote, after a comma or full stop, comes just before ``start``."""
    before = body[max(0, start - 4) : start].rstrip(" \u00a0")
    return before[-1:] in ('"', "”", "'", "’") and before[-2:-1] in (",", ".", "?", "!")


_SAINTS = frozenset(_words("St St. Saint San Santa Santo Sao São Ste Sainte"))
_PREPOSITIONS = frozenset(_words("from of at with for in on into to by via"))


#: Organisations people are "of" or "from" ("Jane Doe of the National University").
_INSTITUTIONS = frozenset(
    _words(
        """
        University College Institute Museum Hospital Academy Centre Center Laboratory
            Department Ministry Council Association Society Foundation Agency Company
            Corporation Bureau Commission Authority Federation School Union Organisation
            Organization Board Group Service Services Trust Observatory Survey Zoo Gardens
            Federation Chamber Party Bank Fund Network Alliance Coalition Commission Office
        """
    )
)


def _has_org_word(text: str) -> bool:
    return any(word in rules.ORG_WORDS for word in text.split())


def _title_index(tokens: list[tuple[int, int, str]]) -> int | None:
    """Index of the last title word with a name after it, or None."""
    found = None
    for index, (_s, _e, word) in enumerate(tokens[:-1]):
        if index == 0 and len(tokens) == 2 and word in names.GIVEN_NAME_TITLES:
            continue  # "Dean Harris": a given name, not a title
        if word in rules.TITLE_HEADS or (
            "-" in word and word.rsplit("-", 1)[1] in rules.TITLE_HEADS
        ):
            found = index
    return found


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _split_title(
    tokens: list[tuple[int, int, str]], at: int
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    begin = at
    while begin > 0 and (
        tokens[begin - 1][2] in rules.TITLE_MODIFIERS or tokens[begin - 1][2] in rules.TITLE_HEADS
    ):
        begin -= 1
    name = tokens[at + 1 :]
    # "Minister of Defence Nobuo Kishi": the portfolio is not the name.
    while name and name[0][2] in ("of", "of the", "for"):
        name = name[1:]
        while name and (name[0][2] in rules.TITLE_MODIFIERS or name[0][2] in rules.ORG_WORDS):
            name = name[1:]
    return tokens[:begin], name


def _person_signal(
    doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], initial: bool
) -> int:
    """0 for no sign of a person, 1 for a weak sign, 2 for a strong one."""
    body = doc.body
    start, end = tokens[0][0], tokens[-1][1]
    words = [t[2] for t in tokens]
    if any(_is_acronym(w) and not w.endswith(".") and not names.is_suffix(w) for w in words):
        return 0
    if any(w in rules.FEATURE_SUFFIXES for w in words):
        return 0
    n = len(words)
    before = rules.LEFT_WORD_RE.search(body, max(0, start - 40), start)
    previous = before[1].rstrip(",").lower() if before else ""
    after = body[end : end + 24].lstrip(" ,\u00a0").split(" ", 1)
    following = after[0].rstrip('.,;:"”') if after else ""
    if n >= 2 and words[0] in gaz.given_names and fold(words[0]) not in gaz.places:
        return 2
    if (
        n >= 2
        and names.is_initial(words[0])
        and body[start - 1 : start] in (" ", "")
        and words[1].lower() not in doc.vocab()
        and words[1].lower() not in rules.SENTENCE_WORDS
    ):
        return 2  # "J. Walter Grant"
    first_place = gaz.places.get(fold(words[0]))
    if n >= 2 and (words[0] in gaz.given_names or (first_place and first_place[1] == AMBIGUOUS)):
        last = gaz.places.get(fold(words[-1]))
        if last is None or last[1] < STRONG:
            return 2
    if previous in rules.ROLE_WORDS and not before[1].endswith(","):
        return 2 if n >= 2 else 1
    if following in rules.SAY_VERBS or (previous in rules.SAY_VERBS and not initial):
        if n == 1 and following in rules.SAY_VERBS and _after_quote(body, start):
            # '"We will win," Yeltsin said': a surname alone, in the wire's own shape.
            word = words[0]
            if word not in _GROUPS and word.lower() not in doc.vocab() and not word.isupper():
                return 2
        return 2 if n >= 2 and n <= 4 else 1
    if n >= 2 and previous in rules.ROLE_WORDS and body.startswith(",", end):
        return 2  # "its chairman, Juan Perez, resigned"
    if body.startswith(", who ", end) or body.startswith(", aged ", end):
        return 2 if n >= 2 else 1
    possessed = _POSSESSIVE_RE.match(body, end)
    if possessed and (possessed[1] in _POSSESSED or possessed[2] in _POSSESSED):
        # "Saddam Hussein's government", "Boris Yeltsin's top aides"
        return 2 if 2 <= n <= 3 else 1
    if n < 2 or n > 4 or (first_place and first_place[1] >= STRONG):
        return 0
    # "Vasco da Gama", "Ludwig Van Beethoven": a particle inside a name.
    if (
        n >= 3
        and words[0] not in _SAINTS
        and any(w.lower() in _NAME_PARTICLES for w in words[1:-1])
    ):
        return 2
    if previous == "to" and body[max(0, start - 14) : start].lower().endswith("according to "):
        return 2
    if previous in _PREPOSITIONS:  # "Greg Pankhurst from Agrogiri Perkasa": a firm
        return 0
    last_place = gaz.places.get(fold(words[-1]))
    if last_place and last_place[1] >= STRONG:
        return 0
    # "Jane Doe, 45,", "Jane Doe, a researcher at", "Jane Doe, the group's spokeswoman".
    if _appositive_re().match(body, end):
        return 2
    # "Jane Doe of the National University", "Jane Doe from the Institute of ...".
    org = doc.caps.of_org.match(body, end)
    if org and any(word in _INSTITUTIONS for word in org["org"].split()):
        return 2
    return 0


def _place_ok(doc: _Doc, strength: int, tokens: list[tuple[int, int, str]], initial: bool) -> bool:
    if strength >= STRONG:
        return True
    words = [t[2] for t in tokens]
    if fold(" ".join(words)) in doc.person_hint:
        return False
    if strength >= AMBIGUOUS:
        return True
    # A small town: only where a place is expected ("in Mildura", "near Moree").
    body = doc.body
    if initial or (len(words) == 1 and words[0].lower() in doc.vocab()):
        return False
    before = rules.LEFT_WORD_RE.search(body, max(0, tokens[0][0] - 30), tokens[0][0])
    return bool(before) and before[1].lower() in _LOCATIVE


def _feature_name(gaz: Gazetteer, text: str) -> str:
    """Canonical name of a geographic feature: known form, else title-cased words."""
    words = text.split()
    if not words:
        return text
    last = words[-1]
    lowered = last.lower()
    if lowered in ("seas", "sea"):
        words[-1] = "Sea"
    elif lowered in ("islands", "island", "chain"):
        if lowered == "chain":
            words = words[:-1]
        words[-1] = "Islands" if lowered != "island" else "Island"
    elif last.islower():
        words[-1] = last.capitalize()
    name = fold(" ".join(words))
    for candidate in (name, name + "s", name[:-1] if name.endswith("s") else name):
        hit = gaz.places.get(candidate)
        if hit:
            return hit[0]
    if name.endswith(" Island chain"):
        return name[: -len(" chain")] + "s"
    return name
