"""The layered recognizer: gazetteers, pattern rules, then linking.

1. Capitalised runs are found with one compiled regex and each is read as a
   whole: a known organisation (or a run ending in "Ministry", "Times", ...) is
   skipped, a title splits it ("Japanese Defense Minister | Nobuo Kishi"), known
   places are matched longest first, and a person needs a sign: a title or
   honorific, a byline, a role word before ("counterpart ..."), a verb of saying
   next to it, or a listed given name in front.
2. Short mentions ("Kishi", "Mr Geary") are linked to the full name found in
   the same article; a name in CJK script in brackets after a person is an alias.
3. Agreements are noun phrases around an agreement noun ("the 2011 memorandum of
   understanding"); a definite one ("the deal") refers back to the latest one.
4. Overlaps are resolved (people and places win over agreement modifiers), and
   mentions are grouped by canonical name.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from reader.entities import rules
from reader.entities.agreements import with_agreements
from reader.entities.candidates import (
    Candidate,
    Occupied,
    resolve,
    sentence_initial,
)
from reader.entities.gazetteer import AMBIGUOUS, COUNTRY, STRONG, Gazetteer, load_gazetteer
from reader.entities.model import ENTITY_TYPES, Entity, Mention
from reader.entities.rules import fold
from reader.entities.rules import words as _words
from reader.entities.version import RECOGNIZER_VERSION  # noqa: F401 - re-exported

_LOCATIVE = frozenset(
    _words(
        """
        in at from near to around outside across towards toward via into of north south east
            west northern southern eastern western central between and visiting visit
        """
    )
)
_CONNECTORS = frozenset(
    _words(
        """
        of the de da del della di du van von der den dos bin ibn al y la le
        """
    )
)
_NAME_PARTICLES = frozenset(
    _words(
        """
        de da del della di du van von der den dos bin ibn al y la le
        """
    )
)
_FEATURE_AFTER_RE = re.compile(
    r"[ \u00a0]+(islands|island chain|island|sea|seas|river|mountains|strait|peninsula)(?![\w-])"
)
_PERSON, _PLACE, _AGREEMENT = "person", "place", "agreement"
#: Bodies longer than this are recognised a window of about this size at a time.
WINDOW_CHARS = 256 * 1024
#: "Indonesian island" is no island's name.
_DEMONYM_ENDINGS = ("ian", "ese", "ish", "ean", "can", "ern")


class _Doc:
    """Per-call state: the body and what has been found so far."""

    __slots__ = ("beyond_ascii", "body", "cands", "caps", "leftovers", "lower_vocab", "person_hint")

    def __init__(self, body: str) -> None:
        self.body = body
        #: The distinct characters beyond ASCII: whether there is CJK, which capitals.
        self.beyond_ascii = rules.beyond_ascii(body)
        #: The patterns for capitalised words that suit this body.
        self.caps = rules.capital_patterns(self.beyond_ascii)
        self.cands: list[Candidate] = []
        #: Capitalised tokens no rule claimed, for linking: (start, end, text).
        self.leftovers: list[tuple[int, int, str]] = []
        self.lower_vocab: set[str] | None = None
        #: Single words a title or role marked as a person ("Mr Geary").
        self.person_hint: set[str] = set()

    def vocab(self) -> set[str]:
        if self.lower_vocab is None:
            self.lower_vocab = set(rules.LOWER_WORD_RE.findall(self.body))
        return self.lower_vocab


class Recognizer:
    """Finds people, places and agreements in article text.

    ``extra_gazetteer`` is a user YAML file of names and aliases (format in
    :mod:`reader.entities.gazetteer`). The gazetteer is built on first use and
    shared by recognizers without an extra file; a recognizer pickles without
    it, so it can be sent to a worker process.
    """

    def __init__(self, extra_gazetteer: Path | None = None) -> None:
        self.extra_gazetteer = Path(extra_gazetteer) if extra_gazetteer is not None else None
        self._gazetteer: Gazetteer | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"extra_gazetteer": self.extra_gazetteer}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.extra_gazetteer = state["extra_gazetteer"]  # type: ignore[assignment]
        self._gazetteer = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer(self.extra_gazetteer)
        return self._gazetteer

    # -- the entry point --------------------------------------------------------------------

    def recognize(
        self, body: str, *, title: str | None = None, author: str | None = None
    ) -> list[Entity]:
        """Entities in ``body``, sorted by type then first mention. Never raises on text.

        A body longer than :data:`WINDOW_CHARS` is read a window at a time (cut at
        paragraph ends) and the windows' entities merged by type and name: the
        working state stays that of one window, and the cost linear in the body (a
        20 MB article took 300 MB and grew faster than its size). A short mention
        ("Kishi") links to a full name in its own window only.
        """
        if not body or not isinstance(body, str):
            return []
        if len(body) <= WINDOW_CHARS:
            return self._recognize(body, author)
        groups: dict[tuple[str, str], list[Mention]] = {}
        records: dict[tuple[str, str], object] = {}
        for start, end in windows(body, WINDOW_CHARS):
            for entity in self._recognize(body[start:end], author):
                key = (entity.type, entity.name)
                groups.setdefault(key, []).extend(
                    Mention(m.start + start, m.end + start, m.text) for m in entity.mentions
                )
                if entity.record and key not in records:
                    # An agreement's record, as the first window that names it has it
                    # (its evidence spans moved to the whole body's offsets).
                    records[key] = _shifted_record(entity.record, start)
        entities = [
            Entity(kind, name, tuple(found), records.get((kind, name)))
            for (kind, name), found in groups.items()
        ]
        entities.sort(key=lambda e: (ENTITY_TYPES.index(e.type), e.first, e.name))
        return entities

    def _recognize(self, body: str, author: str | None) -> list[Entity]:
        doc = _Doc(body)
        gaz = self.gazetteer
        self._bylines(doc, author)
        self._datelines(doc, gaz)
        self._coordinations(doc, gaz)
        self._place_of(doc, gaz)
        self._chunks(doc, gaz)
        self._link_people(doc, gaz)
        self._cjk(doc, gaz)
        kept = resolve(doc.cands)
        return with_agreements(body, kept)

    # -- layer 1: patterns and capitalised runs ---------------------------------------------

    def _bylines(self, doc: _Doc, author: str | None) -> None:
        for match in doc.caps.byline.finditer(doc.body):
            doc.cands.append(
                Candidate(match.start("name"), match.end("name"), _PERSON, fold(match["name"]), 3)
            )
        if author and 2 <= len(author) <= 80:
            for match in re.finditer(rf"(?<!\w){re.escape(author)}(?!\w)", doc.body):
                doc.cands.append(Candidate(match.start(), match.end(), _PERSON, fold(author), 3))

    def _datelines(self, doc: _Doc, gaz: Gazetteer) -> None:
        for match in doc.caps.dateline.finditer(doc.body):
            text = match["place"]
            hit = gaz.places.get(fold(text.title()))
            if hit and hit[1] >= AMBIGUOUS:
                doc.cands.append(Candidate(match.start(), match.end(), _PLACE, hit[0], 3))

    def _coordinations(self, doc: _Doc, gaz: Gazetteer) -> None:
        body = doc.body
        for match in doc.caps.coordination.finditer(body):
            kind = rules.PLURAL_FEATURES.get(" ".join(match["kind"].split()))
            if kind is None:
                continue
            first, second = match["first"], match["second"]
            if first in rules.SENTENCE_WORDS or first.lower() in rules.SENTENCE_WORDS:
                continue
            second_name = _feature_name(gaz, f"{second} {kind}")
            first_name = _feature_name(gaz, f"{first} {' '.join(second.split()[1:])} {kind}")
            doc.cands.append(
                Candidate(match.start("first"), match.end("first"), _PLACE, first_name, 3)
            )
            doc.cands.append(
                Candidate(match.start("second"), match.end("kind"), _PLACE, second_name, 3)
            )

    def _place_of(self, doc: _Doc, gaz: Gazetteer) -> None:
        for match in doc.caps.place_of.finditer(doc.body):
            words = match["name"].split()
            if any(w in rules.ORG_WORDS for w in words) or words[0] in rules.TITLE_HEADS:
                continue
            name = fold(" ".join(words))
            if name in gaz.not_places or name in gaz.people or name in gaz.organisations:
                continue
            hit = gaz.places.get(name)
            canonical = hit[0] if hit else name
            doc.cands.append(
                Candidate(match.start("name"), match.end("name"), _PLACE, canonical, 3)
            )

    def _chunks(self, doc: _Doc, gaz: Gazetteer) -> None:
        body = doc.body
        taken = Occupied()
        for cand in doc.cands:
            taken.add(cand.start, cand.end)
        chunks = list(doc.caps.chunk.finditer(body))
        skip_next = False
        for index, chunk in enumerate(chunks):
            if skip_next:
                skip_next = False
                continue
            start, end = chunk.span()
            if taken.hits(start, end):
                continue
            tokens = [
                (start + tm.start(), start + tm.end(), tm.group())
                for tm in doc.caps.token.finditer(chunk.group())
            ]
            # "People's Liberation Army", "Jane's Defence Weekly": a possessive that
            # is not a place, followed by an organisation, is part of its name.
            if index + 1 < len(chunks) and body.startswith(("'s ", "’s "), end):
                following = chunks[index + 1]
                if (
                    following.start() == end + 3
                    and _has_org_word(following.group())
                    and len(tokens) <= 2
                    and not any(t[2] in rules.TITLE_HEADS or t[2] in _CONNECTORS for t in tokens)
                ):
                    whole = fold(chunk.group())
                    if whole not in gaz.places:
                        skip_next = True
                        continue
            if index + 1 < len(chunks) and body.startswith((" and ", " & "), end):
                following = chunks[index + 1]
                head_words = re.split(r"[ \u00a0]+(?:of|for|de)[ \u00a0]", following.group())[0]
                if (
                    following.start() in (end + 5, end + 3)
                    and _has_org_word(head_words)
                    and head_words.split()[0] not in rules.TITLE_HEADS
                    and fold(chunk.group()) not in gaz.places
                    and fold(following.group()) not in gaz.places
                ):
                    skip_next = True
                    continue
            self._chunk(doc, gaz, tokens)

    def _chunk(self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]]) -> None:
        body = doc.body
        initial = sentence_initial(body, tokens[0][0])
        # Drop words that start the sentence without starting a name.
        while tokens and (
            (tokens[0][2].lower() in rules.SENTENCE_WORDS and not _is_acronym(tokens[0][2]))
            or tokens[0][2].lower() in _CONNECTORS
        ):
            tokens = tokens[1:]
            initial = True
        while tokens and tokens[-1][2] in _CONNECTORS:
            tokens = tokens[:-1]
        if not tokens:
            return
        # "Graziers Peter Hughes", "Climatologist Blair Trewin": a role word
        # capitalised only because it starts the sentence.
        if (
            initial
            and len(tokens) > 2
            and tokens[0][2] not in gaz.given_names
            and tokens[0][2] not in rules.TITLE_HEADS
            and tokens[1][2] in gaz.given_names
            and fold(tokens[0][2]) not in gaz.places
        ):
            tokens = tokens[1:]
        if initial and len(tokens) > 1:
            word = tokens[0][2]
            if (
                word.lower() in doc.vocab()
                and word not in gaz.given_names
                and word not in rules.TITLE_HEADS
                and fold(word) not in gaz.places
                # "Meanwhile Wheat Australia, ...": an organisation named after a country.
                and not (
                    len(tokens) == 2 and gaz.places.get(fold(tokens[1][2]), ("", 0))[1] == COUNTRY
                )
                and fold(" ".join(t[2] for t in tokens)) not in gaz.places
            ):
                tokens = tokens[1:]
        whole = fold(" ".join(t[2] for t in tokens))
        if whole in gaz.organisations:
            return
        if whole in gaz.people:
            doc.cands.append(Candidate(tokens[0][0], tokens[-1][1], _PERSON, gaz.people[whole], 3))
            return
        # A title splits the run: affiliation | title | name.
        title_at = _title_index(tokens)
        if title_at is not None:
            head, name = _split_title(tokens, title_at)
            if head and not any(t[2] in rules.ORG_WORDS for t in head):
                self._places_in(doc, gaz, head, initial)
            if name:
                self._person(doc, gaz, name, strength=3)
            return
        self._segment(doc, gaz, tokens, initial)

    def _segment(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], initial: bool
    ) -> None:
        start, end = tokens[0][0], tokens[-1][1]
        words = [t[2] for t in tokens]
        whole = fold(" ".join(words))
        hit = gaz.places.get(whole)
        if hit and hit[1] >= STRONG:
            self._add_place(doc, gaz, tokens, hit[0])
            return
        if len(words) >= 2 and words[0] not in gaz.given_names:
            last = gaz.places.get(fold(words[-1]))
            if last and last[1] == COUNTRY and fold(words[0]) not in gaz.places:
                return  # "Renewable Fuels Australia", "Tourism Australia": an organisation
        if any(word in rules.ORG_WORDS for word in words):
            last_org = max(i for i, word in enumerate(words) if word in rules.ORG_WORDS)
            tail = tokens[last_org + 1 :]
            if 2 <= len(tail) <= 3 and tail[0][2] in gaz.given_names:
                # "Horticulture Australia Council Kris Newton": affiliation, then name.
                self._person(doc, gaz, tail, strength=2)
                return
            if words[-1] in rules.AGREEMENT_TITLE_WORDS and len(words) > 1:
                doc.cands.append(Candidate(start, end, _AGREEMENT, whole, 3))
            elif words[-1] in rules.PLACE_HEAD_WORDS or words[0] in rules.FEATURE_PREFIXES:
                self._places_in(doc, gaz, tokens, initial)
            return
        signal = _person_signal(doc, gaz, tokens, initial)
        if signal and whole not in gaz.not_people and (hit is None or signal >= 2):
            self._person(doc, gaz, tokens, strength=signal + 1)
            return
        if hit:
            if _place_ok(doc, hit[1], tokens, initial):
                self._add_place(doc, gaz, tokens, hit[0])
            return
        for i in range(1, len(tokens) - 1):
            # "Queensland Independent Bob Katter": affiliation, then a given name and surname.
            if (
                words[i] in gaz.given_names
                and len(tokens) - i in (2, 3)
                and not any(w in _CONNECTORS for w in words[i:])
            ):
                self._places_in(doc, gaz, tokens[:i], initial)
                self._person(doc, gaz, tokens[i:], strength=2)
                return
        if len(tokens) == 1 and whole in doc.person_hint:
            doc.leftovers.append(tokens[0])
            return
        self._places_in(doc, gaz, tokens, initial)

    def _person(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], strength: int
    ) -> None:
        # Leave out leading words that belong to no name ("Japanese" in
        # "Japanese Prime Minister"): a name never starts with a place or an org word.
        while tokens and (tokens[0][2] in rules.ORG_WORDS or tokens[0][2] in _CONNECTORS):
            tokens = tokens[1:]
        for index, token in enumerate(tokens):
            if token[2] in _CONNECTORS and token[2] not in _NAME_PARTICLES:
                if index and not any(t[2] in rules.ORG_WORDS for t in tokens[:index]):
                    # "Dr Richard Achterberg of NASA", "Prof Fuwen Wei of the Institute of X"
                    rest = tokens[index + 1 :]
                    if rest and not any(t[2] in rules.ORG_WORDS for t in rest):
                        self._places_in(doc, gaz, rest, False)
                    tokens = tokens[:index]
                break
        org_at = [i for i, t in enumerate(tokens) if t[2] in rules.ORG_WORDS]
        if org_at and 2 <= len(tokens) - org_at[-1] - 1 <= 3:
            tail = tokens[org_at[-1] + 1 :]
            if not any(t[2] in _CONNECTORS for t in tail):
                # "Leader of the National Party Mark Vaile": the name follows the organisation.
                tokens = tail
        if not tokens or len(tokens) > 5:
            return
        words = [t[2] for t in tokens]
        if any(len(w) > 1 and w.isupper() and not w.endswith(".") for w in words):
            return
        if any(w in rules.ORG_WORDS for w in words):
            return
        if gaz.places.get(fold(words[0]), ("", 0))[1] >= STRONG and len(words) > 1:
            return
        name = fold(" ".join(words))
        if name in gaz.not_people or name in gaz.organisations:
            return
        if len(tokens) == 1:
            doc.person_hint.add(name)
        doc.cands.append(Candidate(tokens[0][0], tokens[-1][1], _PERSON, name, strength))

    def _add_place(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], canonical: str
    ) -> None:
        start, end = tokens[0][0], tokens[-1][1]
        # "Senkaku islands": a lower-case feature word after the name belongs to it.
        after = _FEATURE_AFTER_RE.match(doc.body, end)
        if after:
            candidate = _feature_name(gaz, f"{' '.join(t[2] for t in tokens)} {after[1]}")
            if candidate in {v[0] for v in (gaz.places.get(candidate),) if v}:
                doc.cands.append(Candidate(start, after.end(), _PLACE, candidate, 3))
                return
        doc.cands.append(Candidate(start, end, _PLACE, canonical, 3))

    def _places_in(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], initial: bool
    ) -> None:
        """Known places inside a run, longest first, plus feature names ("Murray River")."""
        body = doc.body
        words = [t[2] for t in tokens]
        n = len(tokens)
        # A geographic word makes the whole run a place: "Coral Sea", "Lake Eyre".
        geographic = all(w not in rules.ORG_WORDS or w in rules.PLACE_HEAD_WORDS for w in words)
        if (
            n >= 2
            and geographic
            and (
                words[-1] in rules.FEATURE_SUFFIXES
                or (words[0] in rules.FEATURE_PREFIXES and words[1] not in rules.FEATURE_SUFFIXES)
            )
        ):
            doc.cands.append(
                Candidate(tokens[0][0], tokens[-1][1], _PLACE, _feature_name(gaz, " ".join(words)))
            )
            return
        if (
            n == 1
            and _FEATURE_AFTER_RE.match(body, tokens[0][1])
            and not initial
            and not words[0].endswith(_DEMONYM_ENDINGS)
        ):
            after = _FEATURE_AFTER_RE.match(body, tokens[0][1])
            name = _feature_name(gaz, f"{words[0]} {after[1]}")
            if gaz.places.get(name, ("", 0))[1] >= STRONG or after[1] != "sea":
                doc.cands.append(Candidate(tokens[0][0], after.end(), _PLACE, name))
                return
        i = 0
        limit = gaz.max_words
        while i < n:
            found = False
            for j in range(min(n, i + limit), i, -1):
                if tokens[j - 1][2] in _CONNECTORS:
                    continue
                key = fold(" ".join(words[i:j]))
                hit = gaz.places.get(key)
                if hit and _place_ok(doc, hit[1], tokens[i:j], initial and i == 0):
                    self._add_place(doc, gaz, tokens[i:j], hit[0])
                    i = j
                    found = True
                    break
            if found:
                continue
            word = words[i]
            if "-" in word and not found:
                self._hyphen_places(doc, gaz, tokens[i])
            elif not word.isupper():
                doc.leftovers.append(tokens[i])
            i += 1

    def _hyphen_places(self, doc: _Doc, gaz: Gazetteer, token: tuple[int, int, str]) -> None:
        start, _end, word = token
        offset = 0
        for part in word.split("-"):
            hit = gaz.places.get(fold(part))
            if hit and hit[1] >= STRONG:
                doc.cands.append(
                    Candidate(start + offset, start + offset + len(part), _PLACE, hit[0], 2)
                )
            offset += len(part) + 1

    # -- layer 2: linking -------------------------------------------------------------------

    def _link_people(self, doc: _Doc, gaz: Gazetteer) -> None:
        """Short mentions to full names; drop lone surnames nobody introduced."""
        aliases: dict[str, str | None] = {}
        full = {c.name for c in doc.cands if c.type == _PERSON and " " in c.name}
        for name in full:
            parts = name.split()
            keys = {parts[-1]}
            if parts[0] in _SURNAME_FIRST:
                keys.add(parts[0])
            for key in keys:
                if key in _NAME_PARTICLES or len(key) < 2:
                    continue
                if key in aliases and aliases[key] != name:
                    aliases[key] = None  # two people share it: link neither
                else:
                    aliases[key] = name
        kept: list[Candidate] = []
        for cand in doc.cands:
            if (cand.type == _PLACE and cand.strength < 3) or (cand.type == _PLACE and aliases):
                text = fold(doc.body[cand.start : cand.end])
                target = aliases.get(text)
                if target and (
                    gaz.places.get(text, ("", STRONG))[1] < STRONG
                    or (
                        gaz.places.get(text, ("", COUNTRY))[1] < COUNTRY and text in doc.person_hint
                    )
                ):
                    # "Mr Bush ... Bush sees": the surname of a person named in full.
                    cand.type, cand.name = _PERSON, target
            if cand.type == _PERSON and " " not in cand.name:
                target = aliases.get(cand.name)
                if target:
                    cand.name = target
                elif cand.strength <= 2:
                    continue
            kept.append(cand)
        doc.cands = kept
        found_places = {
            fold(doc.body[c.start : c.end]): c.name for c in doc.cands if c.type == _PLACE
        }
        for start, end, text in doc.leftovers:
            key = fold(text)
            target = aliases.get(key)
            if target:
                doc.cands.append(Candidate(start, end, _PERSON, target, 1))
            elif key in found_places:  # "the island of Java ... Java's south coast"
                doc.cands.append(Candidate(start, end, _PLACE, found_places[key], 1))

    def _cjk(self, doc: _Doc, gaz: Gazetteer) -> None:
        body = doc.body
        if not any(map(rules.is_cjk, doc.beyond_ascii)):  # faster than searching the body
            return
        for cand in list(doc.cands):
            if cand.type == _PERSON:
                match = rules.PAREN_CJK_RE.match(body, cand.end)
                if match:
                    doc.cands.append(
                        Candidate(match.start("alias"), match.end("alias"), _PERSON, cand.name, 3)
                    )
        pattern = gaz.cjk_pattern()
        if pattern is not None:
            for match in pattern.finditer(body):
                kind, name = gaz.cjk[match.group()]
                doc.cands.append(Candidate(match.start(), match.end(), kind, name, 3))


# -- helpers for layer 1 -------------------------------------------------------------------------

_SURNAME_FIRST = frozenset(
    _words(
        """
        Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Zhu Hu Guo Lin Luo Zheng Liang Xie
            Tang Feng Deng Cao Zeng Xiao Tian Dong Pan Yuan Cai Jiang Du Cheng Su Ding Ren Shen
            Yao Xi Qin Kim Choi Kang Cho Jang Park Lee Nguyen Tran Pham Phan Hoang Huynh Vu Vo
            Dang Bui Ngo Duong Truong Dinh Lam Dao Hun Hwang Kwon Yoon Jeon Baek Seo Ahn Jeong
            Ryu Kwak Jung
        """
    )
)


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
    if any(len(w) > 1 and w.isupper() and not w.endswith(".") for w in words):
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
    first_place = gaz.places.get(fold(words[0]))
    if n >= 2 and (words[0] in gaz.given_names or (first_place and first_place[1] == AMBIGUOUS)):
        last = gaz.places.get(fold(words[-1]))
        if last is None or last[1] < STRONG:
            return 2
    if previous in rules.ROLE_WORDS and not before[1].endswith(","):
        return 2 if n >= 2 else 1
    if following in rules.SAY_VERBS or (previous in rules.SAY_VERBS and not initial):
        return 2 if n >= 2 and n <= 4 else 1
    if body.startswith(", who ", end) or body.startswith(", aged ", end):
        return 2 if n >= 2 else 1
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


# -- the shared default -------------------------------------------------------------------------


@functools.cache
def default_recognizer() -> Recognizer:
    """The recognizer with the shipped gazetteer, built once per process."""
    return Recognizer()


def _shifted_record(record, offset: int):
    """``record`` with its ``evidence`` (``[start, end]`` spans) moved by ``offset``."""
    evidence = record.get("evidence")
    if not offset or not evidence:
        return record
    return {**record, "evidence": [[start + offset, end + offset] for start, end in evidence]}


def windows(body: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``body`` of at most ``size`` characters,
    each cut after a blank line, else a line end, else a sentence end or a space."""
    cuts: list[tuple[int, int]] = []
    start = 0
    while len(body) - start > size:
        limit = start + size
        least = start + size // 2
        end = -1
        for mark in ("\n\n", "\n", ". ", " "):
            found = body.rfind(mark, least, limit)
            if found != -1:
                end = found + len(mark)
                break
        if end == -1:
            end = limit
        cuts.append((start, end))
        start = end
    cuts.append((start, len(body)))
    return cuts


def recognize(body: str, *, title: str | None = None, author: str | None = None) -> list[Entity]:
    """Entities in ``body`` found by the default recognizer."""
    return default_recognizer().recognize(body, title=title, author=author)
