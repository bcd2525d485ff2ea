"""Score agreement records against hand-made gold on real news stories.

Usage: ``python -m reader.bench.agreement_scores [--zip ARCHIVE] [--gold FILE]
[--part dev|held-out|all] [-v]``

The stories are read from the ABC news archive (``../shared/corpora/abc-news-2006.zip``)
at run time; the gold file (``tests/agreements/gold_abc.yaml``) holds, per story,
its index in the archive, a digest of its text and the expected records, never the
text. Figures:

* recall: gold records matched by a predicted record (a predicted mention overlaps
  one of the gold record's anchors); precision: predicted records that match a
  gold record;
* label: matched records whose name holds every gold label word and is more than
  the bare agreement word (records whose text says nothing more are not counted);
* parties / date: matched records whose gold names parties (gives a date) and
  whose predicted parties (date) are the same.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reader.bench.corpus import Story, read_stories
from reader.entities.rules import fold

_REPO = Path(__file__).resolve().parents[2]
#: ``../shared`` next to the repository (or next to the folder of worktrees).
DEFAULT_ZIP = next(
    (
        path
        for path in (
            _REPO.parent / "shared/corpora/abc-news-2006.zip",
            _REPO.parent.parent / "shared/corpora/abc-news-2006.zip",
        )
        if path.is_file()
    ),
    _REPO.parent / "shared/corpora/abc-news-2006.zip",
)
DEFAULT_GOLD = _REPO / "tests" / "agreements" / "gold_abc.yaml"
#: The stories kept aside while the rules were tuned.
HELD_OUT = frozenset([*range(32, 48), *range(66, 78)])


def story_body(story: Story) -> str:
    return "\n\n".join(story.paragraphs)


def digest(story: Story) -> str:
    text = story.headline + "\n" + story_body(story)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0
    label_total: int = 0
    label_right: int = 0
    party_total: int = 0
    party_right: int = 0
    date_total: int = 0
    date_right: int = 0
    notes: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "stories": None,
            "gold": self.gold,
            "predicted": self.predicted,
            "recall": ratio(self.matched_gold, self.gold),
            "precision": ratio(self.matched_predicted, self.predicted),
            "label": ratio(self.label_right, self.label_total),
            "label_n": self.label_total,
            "parties": ratio(self.party_right, self.party_total),
            "parties_n": self.party_total,
            "date": ratio(self.date_right, self.date_total),
            "date_n": self.date_total,
        }


def _spans(body: str, anchor: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(re.escape(anchor), body)]


def _norm(names: Any) -> set[str]:
    return {fold(str(n)).lower() for n in names or ()}


def score(stories: list[Story], gold: list[dict[str, Any]], part: str = "all") -> Tally:
    from reader.entities import recognize

    tally = Tally()
    for item in gold:
        held_out = int(item["n"]) in HELD_OUT
        if (part == "dev" and held_out) or (part == "held-out" and not held_out):
            continue
        story = stories[int(item["story"])]
        if item.get("digest") not in (None, "TBD") and item["digest"] != digest(story):
            raise ValueError(f"story {item['story']} is not the annotated one (digest)")
        body = story_body(story)
        predicted = [e for e in recognize(body, title=story.headline) if e.type == "agreement"]
        tally.predicted += len(predicted)
        used: set[int] = set()
        for record in item.get("records") or []:
            tally.gold += 1
            anchors = [s for a in record["anchors"] for s in _spans(body, str(a))]
            if not anchors:
                raise ValueError(f"story {item['story']}: anchor not found {record['anchors']}")
            match = next(
                (
                    index
                    for index, entity in enumerate(predicted)
                    if any(
                        m.start < end and start < m.end
                        for m in entity.mentions
                        for start, end in anchors
                    )
                ),
                None,
            )
            if match is None:
                tally.notes.append(f"#{item['n']} missed {record['anchors'][0]!r}")
                continue
            tally.matched_gold += 1
            used.add(match)
            entity = predicted[match]
            fields = entity.record or {}
            words = [str(w).lower() for w in record.get("label") or []]
            if words:
                tally.label_total += 1
                name = fold(entity.name).lower()
                if all(w in name for w in words) and len(name.split()) > 1:
                    tally.label_right += 1
                else:
                    tally.notes.append(f"#{item['n']} label {entity.name!r} (gold: {words})")
            if record.get("parties"):
                tally.party_total += 1
                if _norm(fields.get("parties")) == _norm(record["parties"]):
                    tally.party_right += 1
                else:
                    tally.notes.append(
                        f"#{item['n']} parties {fields.get('parties')} (gold: {record['parties']})"
                    )
            if record.get("date"):
                tally.date_total += 1
                if str(fields.get("date")) == str(record["date"]):
                    tally.date_right += 1
                else:
                    tally.notes.append(
                        f"#{item['n']} date {fields.get('date')} (gold: {record['date']})"
                    )
        for index, entity in enumerate(predicted):
            matched = index in used or any(
                any(
                    m.start < end and start < m.end
                    for m in entity.mentions
                    for a in record["anchors"]
                    for start, end in _spans(body, str(a))
                )
                for record in item.get("records") or []
            )
            if matched:
                tally.matched_predicted += 1
            else:
                texts = [m.text for m in entity.mentions]
                tally.notes.append(f"#{item['n']} extra {entity.name!r} {texts}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=DEFAULT_ZIP)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--part", choices=("dev", "held-out", "all"), default="all")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.zip.is_file():
        print(f"no archive at {args.zip}", file=sys.stderr)
        return 2
    stories = read_stories(args.zip)
    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))["stories"]
    tally = score(stories, gold, args.part)
    figures = tally.figures()
    figures["stories"] = sum(
        1
        for g in gold
        if args.part == "all" or (args.part == "dev") == (int(g["n"]) not in HELD_OUT)
    )
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    if args.verbose:
        print("\n".join(tally.notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
