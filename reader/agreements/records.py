"""Corpus-level agreement records: the article records of one agreement, merged.

Two article records are the same agreement when they come from different
articles, their kinds are of one family (agreement, deal, pact, accord, treaty,
arrangement and contract are one; memorandum, partnership, protocol, ... each
their own), their dates do not disagree (one is a prefix of the other, or two
days are at most a week apart), their parties do not disagree (they share one
when both name any, and one's list holds the other's when it names two or
more), and they say so by one of: the same name where the name is a proper one
("Kyoto Protocol"); a shared party and the same date; a shared party and two
words of subject in common ("defence equipment" ...); or three words of subject
and a date on one side. Each article record joins the first record it fits,
articles taken by date.

A record's id is ``ag-`` and seven hex digits of a hash of its first member
(the article id and the record's name there), so it stays the same while that
article and record do. Corrections (:mod:`reader.agreements.corrections`) refer
to members, not ids, so they survive re-indexing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


def fold(text: str) -> str:
    """Accents removed, white space collapsed (as :func:`reader.entities.rules.fold`, whose
    module compiles the recognizer's patterns: listing agreements does not need them)."""
    if text.isascii():
        return " ".join(text.split())
    text = text.replace("đ", "d").replace("Đ", "D").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_GENERAL = frozenset({"agreement", "deal", "pact", "accord", "treaty", "arrangement", "contract"})
_STOP = frozenset(
    [
        ".split()",
        ")",
        "[",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
        ",",
    ]
)


@dataclass(slots=True)
class Member:
    """One article's record of an agreement."""

    key: str
    article_id: str
    title: str
    article_date: str | None
    entity: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.entity.get("name", ""))

    @property
    def kind(self) -> str:
        return str(self.entity.get("kind") or "agreement")

    @property
    def date(self) -> str | None:
        value = self.entity.get("date")
        return str(value) if value else None

    @property
    def parties(self) -> list[str]:
        return [str(p) for p in self.entity.get("parties") or ()]


@dataclass(slots=True)
class AgreementRecord:
    """An agreement across the corpus."""

    id: str
    name: str
    kind: str
    status: str
    parties: list[str]
    signatories: list[str]
    date: str | None
    place: str | None
    members: list[Member] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)

    def to_dict(self, *, with_mentions: bool = True) -> dict[str, Any]:
        articles = []
        for member in self.members:
            item: dict[str, Any] = {
                "id": member.article_id,
                "title": member.title,
                "date": member.article_date,
                "name": member.name,
            }
            if with_mentions:
                item["mentions"] = member.entity.get("mentions", [])
                item["evidence"] = member.entity.get("evidence", [])
            articles.append(item)
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "parties": self.parties,
            "signatories": self.signatories,
            "date": self.date,
            "place": self.place,
            "status": self.status,
            "articles": articles,
            **({"corrected": self.corrected} if self.corrected else {}),
        }


def family(kind: str) -> str:
    return "agreement" if kind in _GENERAL else kind


def subject_words(name: str) -> set[str]:
    """What a name says the agreement is about: "defence", "equipment", ..."""
    out = set()
    for word in re.findall(r"[\w'-]+", fold(name).lower()):
        if word in _STOP or len(word) < 3 or word.isdigit():
            continue
        out.add("defence" if word == "defense" else word)
    return out


def member_keys(article_id: str, entities: Sequence[dict[str, Any]]) -> list[str]:
    """The keys of an article's agreements: ``article#name``, ``~2`` for a repeated name."""
    seen: Counter[str] = Counter()
    keys = []
    for entity in entities:
        name = fold(str(entity.get("name", ""))).lower()
        seen[name] += 1
        keys.append(f"{article_id}#{name}" + (f"~{seen[name]}" if seen[name] > 1 else ""))
    return keys


def members_of(articles: Iterable[dict[str, Any]]) -> list[Member]:
    """Article records from ``{"id", "title", "date", "agreements": [entity dict, ...]}``."""
    out = []
    for article in articles:
        entities = [e for e in article.get("agreements") or () if e.get("type") == "agreement"]
        for key, entity in zip(member_keys(article["id"], entities), entities, strict=True):
            out.append(
                Member(key, article["id"], article.get("title") or "", article.get("date"), entity)
            )
    return out


def dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    if a.startswith(b) or b.startswith(a):
        return True
    if len(a) == len(b) == 10:
        from datetime import date

        try:
            return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 7
        except ValueError:
            return False
    return False


@dataclass(slots=True)
class _Cluster:
    members: list[Member]
    family: str
    articles: set[str]
    parties: set[str]
    dates: list[str]
    subject: set[str]
    names: set[str]


def _fits(member: Member, cluster: _Cluster) -> bool:
    if member.article_id in cluster.articles or family(member.kind) != cluster.family:
        return False
    name = fold(member.name).lower()
    if _proper(member.name) and name in cluster.names:
        return True
    if not all(dates_agree(member.date, other) for other in cluster.dates):
        return False
    parties = {fold(p).lower() for p in member.parties}
    shared = parties & cluster.parties
    if parties and cluster.parties and not shared:
        return False
    if len(parties) >= 2 and not (parties <= cluster.parties or cluster.parties <= parties):
        return False  # Japan and the Philippines, not Japan and Vietnam
    common = len(subject_words(member.name) & cluster.subject)
    if shared and member.date and cluster.dates:
        return True
    if shared and common >= 2:
        return True
    return common >= 3 and (bool(member.date) or bool(cluster.dates))


def _proper(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and sum(1 for w in words if w[:1].isupper()) >= 2


def merge(members: Sequence[Member]) -> list[list[Member]]:
    """Article records grouped into agreements (see the module's docstring)."""
    ordered = sorted(members, key=lambda m: (m.article_date or "9999", m.article_id, m.key))
    clusters: list[_Cluster] = []
    by_party: dict[str, list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for member in ordered:
        parties = {fold(p).lower() for p in member.parties}
        words = subject_words(member.name)
        name = fold(member.name).lower()
        candidates: set[int] = set()
        for party in parties:
            candidates.update(by_party.get(party, ()))
        for word in words:
            candidates.update(by_word.get(word, ()))
        candidates.update(by_word.get("#" + name, ()))
        target = next((i for i in sorted(candidates) if _fits(member, clusters[i])), None)
        if target is None:
            target = len(clusters)
            clusters.append(_Cluster([], family(member.kind), set(), set(), [], set(), set()))
        cluster = clusters[target]
        cluster.members.append(member)
        cluster.articles.add(member.article_id)
        cluster.parties |= parties
        if member.date:
            cluster.dates.append(member.date)
        cluster.subject |= words
        cluster.names.add(name)
        for party in parties:
            by_party.setdefault(party, []).append(target)
        for word in [*words, "#" + name]:
            by_word.setdefault(word, []).append(target)
    return [c.members for c in clusters]


def record_id(members: Sequence[Member]) -> str:
    first = min(members, key=lambda m: (m.article_date or "9999", m.key)).key
    return "ag-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:7]


def build_record(members: Sequence[Member]) -> AgreementRecord:
    """The corpus record of an agreement from its article records."""
    kinds = Counter(m.kind for m in members)
    kind = kinds.most_common(1)[0][0]
    statuses = Counter(
        str(m.entity.get("status"))
        for m in members
        if m.entity.get("status") not in (None, "unknown")
    )
    status = statuses.most_common(1)[0][0] if statuses else "unknown"
    return AgreementRecord(
        id=record_id(members),
        name=_name(members, kind),
        kind=kind,
        status=status,
        parties=_by_count(p for m in members for p in m.parties),
        signatories=_by_count(s for m in members for s in m.entity.get("signatories") or ()),
        date=_date(members),
        place=(
            _by_count(m.entity.get("place") for m in members if m.entity.get("place")) or [None]
        )[0],
        members=sorted(members, key=lambda m: (m.article_date or "9999", m.article_id)),
    )


def _by_count(values: Iterable[Any]) -> list[str]:
    counts = Counter(str(v) for v in values if v)
    order: dict[str, int] = {}
    for value in counts:
        order.setdefault(value, len(order))
    return sorted(counts, key=lambda v: (-counts[v], order[v]))


def _date(members: Sequence[Member]) -> str | None:
    dates = [m.date for m in members if m.date]
    if not dates:
        return None
    counts = Counter(dates)
    # the most reported, then the most precise
    return max(
        counts,
        key=lambda d: (counts[d] + sum(1 for o in dates if o != d and d.startswith(o)), len(d)),
    )


def _name(members: Sequence[Member], kind: str) -> str:
    def score(member: Member) -> tuple[int, int, int, int]:
        name = member.name
        words = name.split()
        subject = len(subject_words(name))
        premodified = 1 if words and words[-1].lower().rstrip("s") in _GENERAL | {kind} else 0
        return (1 if _proper(name) and name[:1].isupper() else 0, premodified, subject, -len(words))

    best = max(members, key=score).name
    words = best.split()
    # "... transfer deal" reported as an agreement by most articles: "... transfer agreement"
    if (
        len(words) > 1
        and kind in _GENERAL
        and words[-1].lower() in _GENERAL
        and words[-1].islower()
        and words[-1] != kind
    ):
        words[-1] = kind
    return " ".join(words)


def build_all(members: Sequence[Member]) -> list[AgreementRecord]:
    records = [build_record(group) for group in merge(members)]
    records.sort(key=lambda r: (r.date or "", r.name), reverse=True)
    return records


# -- listing ------------------------------------------------------------------------------------


def matches(
    record: AgreementRecord,
    *,
    party: str | None = None,
    kind: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> bool:
    """Whether ``record`` passes the filters of ``reader agreements``."""
    if party:
        wanted = fold(party).lower()
        names = [*record.parties, *record.signatories]
        if not any(wanted in fold(name).lower() for name in names):
            return False
    # a kind any article gives it: the transfer agreement is "a deal" in some reports
    if kind and kind.lower() not in {record.kind, *(m.kind for m in record.members)}:
        return False
    if date_from or date_to:
        if not record.date:
            return False
        # a record dated "2021-09" lies in any range that overlaps September 2021
        low = record.date
        high = record.date + "-99-99"[len(record.date) - 4 :] if len(record.date) < 10 else low
        if date_from and high < date_from:
            return False
        if date_to and low[: len(date_to)] > date_to:
            return False
    return True


def evidence_text(body: str, spans: Iterable[Sequence[int]], limit: int = 400) -> list[str]:
    """The sentences a record's fields came from, one line each."""
    out = []
    for span in spans:
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        text = " ".join(body[start:end].split())
        if text:
            out.append(text if len(text) <= limit else text[: limit - 1] + "…")
    return out


def record_lines(record: AgreementRecord) -> list[tuple[str, str]]:
    """The record's fields as (label, value) lines, for the app and the command line."""
    return [
        ("name", record.name),
        ("kind", record.kind),
        ("status", record.status),
        ("date", record.date or "not given"),
        ("parties", ", ".join(record.parties) or "not named"),
        ("signatories", ", ".join(record.signatories) or "not named"),
        ("place", record.place or "not given"),
        (
            "id",
            record.id
            + (f" (corrected: {', '.join(record.corrected)})" if record.corrected else ""),
        ),
    ]


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def record_text(record: AgreementRecord, bodies: dict[str, str]) -> str:
    """A record as plain text: its fields, then each article and the evidence from it."""
    lines = [f"{label:12} {_flat(value)}" for label, value in record_lines(record)]
    lines.append(f"reported by {len(record.members)} article(s):")
    for member in record.members:
        lines.append(
            f"  {member.article_date or '----------'}  {member.article_id}  ({member.name})"
        )
        body = bodies.get(member.article_id)
        if body:
            for sentence in evidence_text(body, member.entity.get("evidence") or ()):
                lines.append(f"      > {sentence}")
    return "\n".join(lines)
