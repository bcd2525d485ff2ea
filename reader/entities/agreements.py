"""Layer 3 of the recognizer: agreements, each one a record.

:func:`with_agreements` takes the agreement mentions of a body
(:mod:`reader.entities.agreement_mentions`, with the words of each phrase read
by :mod:`reader.entities.agreement_phrases`) and links them into agreements. A
definite later mention ("the deal", "the pact") belongs to the latest agreement
of its family; an indefinite one starts a new agreement, so two agreements in
one article stay two records. A name in apposition, an acronym tied to its long
form and a label about the same subject link too.

The fields of each record (kind, status, parties, date, ...) come from the
sentences of its mentions: :mod:`reader.entities.agreement_fields`.
"""

from __future__ import annotations

import re

from reader.entities import rules
from reader.entities.agreement_fields import build_record, sorted_candidates
from reader.entities.agreement_mentions import (
    AGREEMENT,
    HEAD_RE,
    KINDS,
    Found,
    find_agreements,
    kind_of,
)
from reader.entities.candidates import Candidate, group_mentions
from reader.entities.model import ENTITY_TYPES, Entity, Mention
from reader.entities.rules import fold

#: Kinds a generic "the agreement" / "the deal" may refer back to.
_GENERAL = frozenset({"agreement", "deal", "pact", "accord", "treaty", "arrangement"})


def with_agreements(body: str, kept: list[Candidate]) -> list[Entity]:
    """The entities of ``body``: ``kept`` (people, places, ...) grouped, and agreement records."""
    found = find_agreements(body, kept)
    named_spans = [(f.start, f.end) for f in found if f.named]
    if named_spans:  # "Treaty of Rome": the name wins over the place inside it
        kept = [c for c in kept if not any(s <= c.start and c.end <= e for s, e in named_spans)]
    # Names the capitalised-run layer took for agreements ("Kyoto Protocol") are records here.
    kept = [c for c in kept if c.type != AGREEMENT]
    entities = group_mentions(kept, body)
    entities.extend(_records(body, found, kept))
    order = {name: index for index, name in enumerate(ENTITY_TYPES)}
    entities.sort(key=lambda e: (order.get(e.type, 99), e.first, e.name))
    return entities


# -- linking and records ---------------------------------------------------------------


def _family(kind: str) -> str:
    return "agreement" if kind in _GENERAL else kind


_WEEKDAY_WORDS = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:['’]s)?|today|yesterday|weekend)\s+",
    re.IGNORECASE,
)


def _records(body: str, found: list[Found], kept: list[Candidate]) -> list[Entity]:
    """Mentions linked into agreements, each with its record."""
    clusters: list[list[Found]] = []
    latest: dict[str, int] = {}
    by_label: dict[str, int] = {}
    subjects: list[set[str]] = []
    for item in found:
        label = fold(_WEEKDAY_WORDS.sub("", item.label)).lower()
        family = _family(item.kind)
        words = _subject_words(label)
        index = -1
        if (item.named and clusters and _apposition(body, clusters, item)) or (
            item.joins and clusters
        ):
            index = len(clusters) - 1
        if index < 0 and (
            (item.acronym and not item.named)
            or (item.definite and (item.named or len(label.split()) > 1))
        ):
            index = by_label.get(label, -1)
        if index < 0 and item.definite and not item.named and _generic(item):
            index = latest.get(family, max(latest.values()) if latest else -1)
        if index < 0 and item.definite and not item.named and not item.post:
            index = latest.get(family, -1)  # "the cyberspace agreement" refers back
        if index < 0 and len(words) >= 2 and not item.named:
            # "an agreement enabling the delivery of defence equipment" ... "signed defence
            # equipment and technology transfer deal": the same subject, the same agreement
            index = next(
                (
                    i
                    for i, seen in enumerate(subjects)
                    if len(words & seen) >= 2 and _family(clusters[i][0].kind) == family
                ),
                -1,
            )
        if index < 0:
            index = len(clusters)
            clusters.append([])
            subjects.append(set())
        clusters[index].append(item)
        subjects[index] |= words
        latest[family] = index
        by_label.setdefault(label, index)
        if item.acronym:
            by_label.setdefault(item.acronym.lower(), index)
    out: list[Entity] = []
    every = [(f.start, f.end) for f in found]
    kept = sorted_candidates(kept)
    for cluster in clusters:
        name = _best_label(cluster)
        mentions = tuple(Mention(f.start, f.end, body[f.start : f.end]) for f in cluster)
        spans = [(f.start, f.end) for f in cluster]
        record = build_record(body, cluster[0].kind, spans, kept, every)
        out.append(Entity(AGREEMENT, name, mentions, record))
    return out


_NOT_SUBJECT = frozenset(
    rules.words(
        """
        the a an of on to for and with in by allowing enabling covering over new two three
            japanese-made made country countries nation nations between
        """
    )
)


def _apposition(body: str, clusters: list[list[Found]], item: Found) -> bool:
    """ "an international treaty, the Montreal Protocol": one agreement named twice."""
    last = clusters[-1][-1]
    gap = body[last.end : item.start]
    return len(gap) <= 6 and gap.strip(" \u00a0").lower() in (",", ", the", ",the", "(", "—")


def _subject_words(label: str) -> set[str]:
    """The words of a label that say what it is about (not its kind, not function words)."""
    out = set()
    for word in re.findall(r"[\w'-]+", label.lower()):
        if word in _NOT_SUBJECT or len(word) < 3 or HEAD_RE.fullmatch(word):
            continue
        out.add(word.replace("defense", "defence"))
    return out


def _generic(item: Found) -> bool:
    """ "the deal", "the Tuesday agreement", "the Japan-Vietnam agreement": it refers back."""
    if item.place_named:
        return True
    words = _WEEKDAY_WORDS.sub("", item.label).split()
    return len(words) <= 1 or (len(words) == 3 and words[1] == "of")


def _best_label(cluster: list[Found]) -> str:
    def score(item: Found) -> tuple[int, int, int, int]:
        label = _WEEKDAY_WORDS.sub("", item.label)
        words = label.split()
        informative = len(words) if len(words) <= 9 else 9 - (len(words) - 9)
        # "defence equipment and technology transfer deal" reads better than
        # "agreement enabling the delivery of Japanese-made defence equipment"
        premodified = not item.post and len(_subject_words(label.lower())) >= 2
        return (1 if item.named else 0, 1 if premodified else 0, informative, -item.start)

    best = max(cluster, key=score)
    label = _WEEKDAY_WORDS.sub("", best.label).strip() or best.label
    words = label.split()
    if not best.named and words and words[0][1:].islower() and sentence_initial_word(words[0]):
        words[0] = words[0].lower()  # "Wage pact ..." at the start of a sentence
    return " ".join(words)


def sentence_initial_word(word: str) -> bool:
    return word.lower() in _SENTENCE_LOWER


_SENTENCE_LOWER = frozenset(kind_of(k) for k in KINDS) | frozenset(
    rules.words(
        """
        agreement agreements deal deals pact treaty accord contract memorandum wage trade
            peace new free bilateral defence defense security supply export water land legal
            two-year three-year five-year long-term landmark historic
        """
    )
)
