"""Score the recognizer against hand-made gold annotations.

Usage: ``python -m reader.entities.evaluate [GOLD_DIR] [ARTICLES_DIR]`` (defaults:
the repository's ``tests/gold`` and ``articles``). Prints precision, recall and
F1 per type at two levels:

* **entity**: per article, the set of ``(type, canonical name)``. An agreement's
  name is a convention (its most specific mention), so a predicted agreement
  also matches a gold one when they share a mention span.
* **mention**: the set of ``(type, start, end)`` spans.

Gold files are YAML, one per article, named after the article id (its file stem)::

    entities:
      - type: person
        name: Nobuo Kishi
        mentions: [Nobuo Kishi, Kishi]      # every occurrence of each string ...
      - type: place
        name: East China Sea
        mentions: ["East#2"]                # ... or only the 2nd one
    ignore: [Japan Times]                    # occurrences inside these are no mentions

A bare string stands for each of its whole-word occurrences that lies neither
inside a longer mention string nor inside an ``ignore`` string; ``TEXT#k`` is the
k-th whole-word occurrence only. Occurrence-based gold survives small edits.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reader.entities.model import ENTITY_TYPES, Entity
from reader.entities.recognizer import Recognizer, default_recognizer

_OCCURRENCE_RE = re.compile(r"^(?P<text>.*?)#(?P<index>\d+)$", re.DOTALL)


class GoldError(ValueError):
    """A gold file that does not fit its article; the message says where."""


@dataclass(slots=True)
class GoldEntity:
    type: str
    name: str
    spans: list[tuple[int, int]]


def occurrences(body: str, text: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``text`` in ``body``."""
    if not text:
        return []
    left = r"(?<!\w)" if text[0].isalnum() or text[0] == "_" else ""
    right = r"(?!\w)" if text[-1].isalnum() or text[-1] == "_" else ""
    return [m.span() for m in re.finditer(left + re.escape(text) + right, body)]


def load_gold(path: Path, body: str) -> list[GoldEntity]:
    """Resolve one gold file's mention strings to spans in ``body``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entities = data.get("entities") or []
    ignore = [str(text) for text in data.get("ignore") or []]
    all_texts = {
        _split_occurrence(str(text))[0] for item in entities for text in item.get("mentions", [])
    }
    blockers: list[tuple[int, int]] = []
    for text in [*ignore, *all_texts]:
        blockers.extend((s, e) for s, e in occurrences(body, text))
    out = []
    for item in entities:
        kind, name = str(item["type"]), str(item["name"])
        if kind not in ENTITY_TYPES:
            raise GoldError(f"{path}: unknown type {kind!r} for {name!r}")
        spans: list[tuple[int, int]] = []
        for raw in item.get("mentions", []):
            text, index = _split_occurrence(str(raw))
            found = occurrences(body, text)
            if not found:
                raise GoldError(f"{path}: {name}: mention {text!r} is not in the article")
            if index is not None:
                if index > len(found):
                    raise GoldError(f"{path}: {name}: {raw!r}: only {len(found)} occurrences")
                spans.append(found[index - 1])
                continue
            for s, e in found:
                inside = any(bs <= s and e <= be and (be - bs) > (e - s) for bs, be in blockers)
                if not inside:
                    spans.append((s, e))
        out.append(GoldEntity(kind, name, sorted(set(spans))))
    return out


def _split_occurrence(raw: str) -> tuple[str, int | None]:
    match = _OCCURRENCE_RE.match(raw)
    if match:
        return match["text"], int(match["index"])
    return raw, None


@dataclass(slots=True)
class Tally:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Scores:
    entity: dict[str, Tally]
    mention: dict[str, Tally]
    articles: int = 0


def score_article(
    article_id: str, gold: list[GoldEntity], predicted: list[Entity], scores: Scores
) -> None:
    for kind in ENTITY_TYPES:
        gold_k = [g for g in gold if g.type == kind]
        pred_k = [p for p in predicted if p.type == kind]
        tally = scores.entity[kind]
        if kind == "agreement":
            _match_clusters(article_id, gold_k, pred_k, tally)
        else:
            gold_names = {g.name for g in gold_k}
            pred_names = {p.name for p in pred_k}
            tally.tp += len(gold_names & pred_names)
            tally.fp += len(pred_names - gold_names)
            tally.fn += len(gold_names - pred_names)
            tally.errors += [
                f"{article_id}: extra {kind} {n!r}" for n in sorted(pred_names - gold_names)
            ]
            tally.errors += [
                f"{article_id}: missed {kind} {n!r}" for n in sorted(gold_names - pred_names)
            ]
        gold_spans = {s for g in gold_k for s in g.spans}
        pred_spans = {(m.start, m.end) for p in pred_k for m in p.mentions}
        texts = {(m.start, m.end): m.text for p in pred_k for m in p.mentions}
        mention = scores.mention[kind]
        mention.tp += len(gold_spans & pred_spans)
        mention.fp += len(pred_spans - gold_spans)
        mention.fn += len(gold_spans - pred_spans)
        mention.errors += [
            f"{article_id}: extra {kind} mention {texts[s]!r} at {s[0]}"
            for s in sorted(pred_spans - gold_spans)
        ]
        mention.errors += [
            f"{article_id}: missed {kind} mention at {s[0]}-{s[1]}"
            for s in sorted(gold_spans - pred_spans)
        ]


def _match_clusters(
    article_id: str, gold: list[GoldEntity], predicted: list[Entity], tally: Tally
) -> None:
    unmatched = list(predicted)
    for entity in gold:
        spans = set(entity.spans)
        match = next(
            (
                p
                for p in unmatched
                if p.name == entity.name
                or any(s < m.end and m.start < e for m in p.mentions for s, e in spans)
            ),
            None,
        )
        if match is None:
            tally.fn += 1
            tally.errors.append(f"{article_id}: missed agreement {entity.name!r}")
        else:
            tally.tp += 1
            unmatched.remove(match)
    tally.fp += len(unmatched)
    tally.errors += [f"{article_id}: extra agreement {p.name!r}" for p in unmatched]


def evaluate(gold_dir: Path, articles_dir: Path, recognizer: Recognizer | None = None) -> Scores:
    """Score every article of ``articles_dir`` that has a gold file in ``gold_dir``."""
    from reader.corpus.articles import load_corpus

    recognizer = recognizer or default_recognizer()
    articles, _problems = load_corpus(articles_dir)
    by_id = {article.id: article for article in articles}
    scores = Scores({k: Tally() for k in ENTITY_TYPES}, {k: Tally() for k in ENTITY_TYPES})
    for path in sorted(gold_dir.glob("*.yaml")):
        article = by_id.get(path.stem)
        if article is None:
            raise GoldError(f"{path}: no article with id {path.stem!r} in {articles_dir}")
        gold = load_gold(path, article.body)
        predicted = recognizer.recognize(article.body, title=article.title, author=article.author)
        score_article(article.id, gold, predicted, scores)
        scores.articles += 1
    return scores


def format_scores(scores: Scores) -> str:
    lines = [f"{scores.articles} articles", f"{'type':12} {'level':8} {'P':>6} {'R':>6} {'F1':>6}"]
    for kind in ENTITY_TYPES:
        found = scores.entity[kind]
        if found.tp == found.fn == 0:  # e.g. organisations: the gold names none
            lines.append(f"{kind:12} not in the gold ({found.fp} found)")
            continue
        for level, table in (("entity", scores.entity), ("mention", scores.mention)):
            t = table[kind]
            lines.append(
                f"{kind:12} {level:8} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}"
                f"   (tp {t.tp}, fp {t.fp}, fn {t.fn})"
            )
    return "\n".join(lines)


def _errors(scores: Scores) -> Iterable[str]:
    for kind in ENTITY_TYPES:
        yield from scores.entity[kind].errors
    for kind in ENTITY_TYPES:
        yield from Counter(scores.mention[kind].errors)


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(
        prog="python -m reader.entities.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("gold_dir", nargs="?", type=Path, default=root / "tests" / "gold")
    parser.add_argument("articles_dir", nargs="?", type=Path, default=root / "articles")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    try:
        scores = evaluate(args.gold_dir, args.articles_dir)
    except (GoldError, OSError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(format_scores(scores))
    if args.verbose:
        for line in _errors(scores):
            print(" ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
