"""The layered recognizer: gazetteers, pattern rules, then linking.

0. Shapes found before the runs: US state abbreviations ("Ark.", "D-Mass.",
   :mod:`reader.entities.us_states`) and names joined by "&" ("Procter & Gamble").

1. Capitalised runs are found with one compiled regex and each is read as a
   whole: a known organisation (or a run ending in "Ministry", "Times", ...) is
   skipped, a title splits it ("Japanese Defense Minister | Nobuo Kishi"), known
   places are matched longest first, and a person needs a sign: a title or
   honorific, a byline, a role word before ("counterpart ..."), a verb of saying
   next to it, or a listed given name in front. A run with an organisation's
   head word is an organisation (:mod:`reader.entities.organisations`); the
   signs themselves live in :mod:`reader.entities.signals`.
2. Short mentions ("Kishi", "Mr Geary") are linked to the full name found in
   the same article; a name in CJK script in brackets after a person is an alias.
3. Agreements are noun phrases around an agreement noun ("the 2011 memorandum of
   understanding"); a definite one ("the deal") refers back to the latest one.
4. Overlaps are resolved (people and places win over agreement modifiers),
   organisations only the whole article reveals are added (acronyms, short
   forms), and mentions are grouped by canonical name.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from pathlib import Path

from reader.entities import names, organisations, rules
from reader.entities.agreements import with_agreements
from reader.entities.candidates import (
    Candidate,
    Occupied,
    resolve,
    sentence_initial,
)
from reader.entities.gazetteer import AMBIGUOUS, COUNTRY, STRONG, Gazetteer, load_gazetteer
from reader.entities.model import ENTITY_TYPES, Entity, Mentions
from reader.entities.rules import fold
from reader.entities.signals import (
    _AGREEMENT,
    _CONNECTORS,
    _DEMONYM_ENDINGS,
    _FEATURE_AFTER_RE,
    _NAME_PARTICLES,
    _OCEANS,
    _PERSON,
    _PLACE,
    _SURNAME_FIRST,
    _Doc,
    _feature_name,
    _has_org_word,
    _is_acronym,
    _person_signal,
    _place_ok,
    _split_title,
    _title_index,
)
from reader.entities.towns import towns
from reader.entities.us_states import state_abbreviations
from reader.entities.version import RECOGNIZER_VERSION  # noqa: F401 - re-exported
from reader.support.windows import windows

#: Bodies longer than this are recognised a window of about this size at a time.
WINDOW_CHARS = 256 * 1024


class Recognizer:
    """Finds people, places, organisations and agreements in article text.

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
        spans = windows(body, WINDOW_CHARS)
        return self.recognize_windows(((start, body[start:end]) for start, end in spans), author)

    def recognize_windows(
        self, pieces: Iterable[tuple[int, str]], author: str | None = None
    ) -> list[Entity]:
        """Entities of a body given as its consecutive windows ``(start, text)``, cut
        as :func:`reader.support.windows.windows` cuts it with :data:`WINDOW_CHARS`:
        the same entities as :meth:`recognize` of the whole body, which is never held
        (a big file read a window at a time, :mod:`reader.corpus.streaming`)."""
        pieces = iter(pieces)
        first = next(pieces, None)
        if first is None or not first[1]:
            return []
        second = next(pieces, None)
        if second is None:
            return self._recognize(first[1], author)
        groups: dict[tuple[str, str], Mentions] = {}
        records: dict[tuple[str, str], object] = {}
        texts: dict[str, str] = {}  # each distinct mention text once
        for start, text in itertools.chain((first, second), pieces):
            for entity in self._recognize(text, author):
                key = (entity.type, entity.name)
                found = groups.get(key)
                if found is None:
                    found = groups[key] = Mentions()
                for m in entity.mentions:
                    found.append(m.start + start, m.end + start, texts.setdefault(m.text, m.text))
                if entity.record and key not in records:
                    # An agreement's record, as the first window that names it has it
                    # (its evidence spans moved to the whole body's offsets).
                    records[key] = _shifted_record(entity.record, start)
        entities = [
            Entity(kind, name, found, records.get((kind, name)))
            for (kind, name), found in groups.items()
        ]
        entities.sort(key=lambda e: (ENTITY_TYPES.index(e.type), e.first, e.name))
        return entities

    def _recognize(self, body: str, author: str | None) -> list[Entity]:
        doc = _Doc(body)
        gaz = self.gazetteer
        self._bylines(doc, author)
        doc.cands.extend(state_abbreviations(body))
        doc.cands.extend(organisations.ampersand_names(body))
        doc.cands.extend(towns(body, gaz))
        self._datelines(doc, gaz)
        self._coordinations(doc, gaz)
        self._place_of(doc, gaz)
        self._chunks(doc, gaz)
        doc.cands.extend(organisations.joined_names(body, doc.caps.cap_token))
        self._link_people(doc, gaz)
        self._cjk(doc, gaz)
        kept = resolve(doc.cands)
        kept.extend(
            organisations.link_organisations(kept, body, gaz, doc.caps.cap_token, doc.vocab())
        )
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
                    and len([t for t in tokens if t[2] != "The"]) <= 2
                    # "Kohl's Christian Democratic Union": a party's leader, not its name
                    and not any(
                        c.type == _PERSON and c.name.endswith(" " + chunk.group())
                        for c in doc.cands
                    )
                    and not any(t[2] in rules.TITLE_HEADS or t[2] in _CONNECTORS for t in tokens)
                ):
                    whole = fold(chunk.group())
                    if whole not in gaz.places:
                        skip_next = True
                        self._org(
                            doc, gaz, [(start, following.end(), body[start : following.end()])]
                        )
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
                ) or (  # "Meat and Livestock Australia"
                    following.start() == end + 5
                    and len(following.group().split()) == 2
                    and gaz.places.get(fold(following.group().split()[-1]), ("", 0))[1] == COUNTRY
                    and fold(chunk.group()) not in gaz.places
                ):
                    skip_next = True
                    self._org(doc, gaz, [(start, following.end(), body[start : following.end()])])
                    continue
            self._chunk(doc, gaz, tokens)

    def _chunk(self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]]) -> None:
        body = doc.body
        initial = sentence_initial(body, tokens[0][0])
        full = fold(" ".join(t[2] for t in tokens))
        if full in gaz.org_names:  # "Al Jazeera", "The Age"
            return self._org(doc, gaz, tokens)
        # Drop words that start the sentence without starting a name ("The Gambia" is one).
        while (
            tokens
            and (
                (tokens[0][2].lower() in rules.SENTENCE_WORDS and not _is_acronym(tokens[0][2]))
                or tokens[0][2].lower() in _CONNECTORS
            )
            and full not in gaz.places
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
            and tokens[0][2] not in _SURNAME_FIRST
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
            if not (initial and len(tokens) == 1 and whole.lower() in doc.vocab()):
                self._org(doc, gaz, tokens)  # not "Science" starting a sentence
            return
        if whole in gaz.people:
            doc.cands.append(Candidate(tokens[0][0], tokens[-1][1], _PERSON, gaz.people[whole], 3))
            return
        # A title splits the run: affiliation | title | name.
        title_at = _title_index(tokens)
        if title_at is not None:
            head, name = _split_title(tokens, title_at)
            if (
                name
                and name[-1][2].rstrip(".") in rules.ORG_WORDS
                and name[0][2] not in gaz.given_names
                and not any(t[2] in _CONNECTORS for t in name)
            ):  # "General Motors Corp."; "Dr X of Massachusetts General Hospital"
                if head:
                    return self._segment(doc, gaz, tokens, initial)
                return self._org(doc, gaz, tokens)
            if head and not any(t[2] in rules.ORG_WORDS for t in head):
                self._places_in(doc, gaz, head, initial)
            elif head:
                self._org(doc, gaz, head)  # "Labor Premier Peter Beattie"
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
                # "Renewable Fuels Australia", "Tourism Australia": an organisation
                return self._org(doc, gaz, tokens, known=True)
        if any(word in rules.ORG_WORDS for word in words):
            at = words.index("of") if "of" in words else 0
            if (
                at == 1
                and words[0] not in rules.ORG_WORDS
                and words[0] not in gaz.given_names
                and fold(words[0]) not in gaz.places
                and _has_org_word(" ".join(words[2:]))
            ):  # "Shares of International Business Machines Corp."
                return self._org(doc, gaz, tokens[2:])
            if (
                2 <= at <= 4
                and (words[0] in gaz.given_names or words[0] in rules.TITLE_HEADS)
                and not _has_org_word(" ".join(words[:at]))
            ):
                # "Mike Treder of the Center for Responsible Nanotechnology"
                first = 1 if words[0] in rules.TITLE_HEADS else 0
                self._person(doc, gaz, tokens[first:at], strength=3 if first else 2)
                return self._org(doc, gaz, tokens[at + 1 :])
            last_org = max(i for i, word in enumerate(words) if word in rules.ORG_WORDS)
            tail = tokens[last_org + 1 :]
            if 2 <= len(tail) <= 3 and tail[0][2] in gaz.given_names:
                # "Horticulture Australia Council Kris Newton": affiliation, then name.
                self._person(doc, gaz, tail, strength=2)
                return self._org(doc, gaz, tokens[: last_org + 1])
            if words[-1] in rules.AGREEMENT_TITLE_WORDS and len(words) > 1:
                doc.cands.append(Candidate(start, end, _AGREEMENT, whole, 3))
            elif words[-1] in rules.PLACE_HEAD_WORDS or words[0] in rules.FEATURE_PREFIXES:
                self._places_in(doc, gaz, tokens, initial)
            else:
                self._org(doc, gaz, tokens)
            return
        club = organisations.team(words, gaz)
        if club:  # "Dallas Cowboys"
            doc.cands.append(Candidate(start, end, organisations.ORGANISATION, club, 3))
            return
        signal = _person_signal(doc, gaz, tokens, initial)
        if signal and whole not in gaz.not_people and (hit is None or signal >= 2):
            self._person(doc, gaz, tokens, strength=signal + 1)
            return
        if hit:
            if _place_ok(doc, hit[1], tokens, initial):
                self._add_place(doc, gaz, tokens, hit[0])
            elif len(tokens) == 1:  # "Maria Sylvania ... Sylvania said": maybe her surname
                doc.leftovers.append(tokens[0])
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
        if (
            2 <= len(tokens) <= 3
            and not any(
                gaz.places.get(fold(w), ("", 0))[1] >= AMBIGUOUS
                or w.lower() in doc.vocab()
                or w in names.DEMONYMS
                or w in rules.TITLE_HEADS
                or w in rules.TITLE_MODIFIERS
                or w.endswith(_DEMONYM_ENDINGS[:4])  # "Southeast Asian"
                or any(c.isupper() or c.isdigit() for c in w[1:])  # "PhD", "McDonald's" alike
                for w in words
            )
        ):
            doc.maybe_people.append(tokens)  # "met Slobodan Milosevic": a person if he recurs
        self._places_in(doc, gaz, tokens, initial)

    def _person(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], strength: int
    ) -> None:
        # Leave out leading words that belong to no name ("Japanese" in
        # "Japanese Prime Minister"): a name never starts with a place or an org word.
        while tokens and (
            tokens[0][2] in rules.ORG_WORDS
            or tokens[0][2] in _CONNECTORS
            or (tokens[0][2] in names.DEMONYMS and len(tokens) > 2)  # "German Anna Weber"
        ):
            tokens = tokens[1:]
        for index, token in enumerate(tokens):
            if token[2] in _CONNECTORS and token[2] not in _NAME_PARTICLES:
                if index and not any(t[2] in rules.ORG_WORDS for t in tokens[:index]):
                    # "Dr Richard Achterberg of NASA", "Prof Fuwen Wei of the Institute of X"
                    rest = tokens[index + 1 :]
                    if rest and not any(t[2] in rules.ORG_WORDS for t in rest):
                        self._places_in(doc, gaz, rest, False)
                    elif rest:
                        self._org(doc, gaz, rest)
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
        if any(_is_acronym(w) and not w.endswith(".") and not names.is_suffix(w) for w in words):
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

    def _org(
        self, doc: _Doc, gaz: Gazetteer, tokens: list[tuple[int, int, str]], known: bool = False
    ) -> None:
        found = organisations.classify(" ".join(t[2] for t in tokens).split(), gaz, known=known)
        if found:
            doc.cands.append(Candidate(tokens[0][0], tokens[-1][1], found[0], found[1], 3))

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
        parts = word.split("-")
        hits = [gaz.places.get(fold(part)) for part in parts]
        # "Georgia-Pacific": a compound of a place and an ocean is a company's name.
        if all(p[:1].isupper() for p in parts) and any(h and h[0] in _OCEANS for h in hits):
            return self._org(doc, gaz, [token], known=True)
        # "Denver-based", "Moscow-backed": a lower-case part makes the other one a place.
        least = AMBIGUOUS if any(p[:1].islower() for p in parts) else STRONG
        offset = 0
        for part, hit in zip(parts, hits, strict=True):
            if hit and hit[1] >= least:
                doc.cands.append(
                    Candidate(start + offset, start + offset + len(part), _PLACE, hit[0], 2)
                )
            offset += len(part) + 1

    # -- layer 2: linking -------------------------------------------------------------------

    def _link_people(self, doc: _Doc, gaz: Gazetteer) -> None:
        """Short mentions to full names; drop lone surnames nobody introduced."""
        for tokens in doc.maybe_people:
            # "Slobodan Milosevic ... Milosevic said": the surname alone confirms the name.
            if _stands_alone(doc.body, tokens[-1][2], tokens[-1][0]):
                self._person(doc, gaz, tokens, strength=2)
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


def _stands_alone(body: str, word: str, skip: int) -> bool:
    """Whether ``word`` occurs, away from ``skip``, with no capitalised word next to it."""
    for match in re.finditer(rf"(?<![\w'’.-]){re.escape(word)}(?![\w-])", body):
        if match.start() == skip:
            continue
        before = body[max(0, match.start() - 30) : match.start()].split()
        after = body[match.end() : match.end() + 30].split()
        if before and before[-1][:1].isupper() and not before[-1].endswith((".", ",", ":")):
            continue
        if before and before[-1].lower() in ("the", "a", "an", "this", "that", "its", "their"):
            continue  # "the Telescope": a thing
        if after and after[0][:1].isupper() and body[match.end() : match.end() + 1] not in ",.;:":
            continue
        return True
    return False


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


def recognize(body: str, *, title: str | None = None, author: str | None = None) -> list[Entity]:
    """Entities in ``body`` found by the default recognizer."""
    return default_recognizer().recognize(body, title=title, author=author)
