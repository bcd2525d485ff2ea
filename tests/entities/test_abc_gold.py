"""The recognizer scored on hand-annotated ABC news stories (gold in abc_gold.yaml).

The stories are read from ../shared/corpora/abc-news-2006.zip at run time; the test
skips when the archive is absent. Run this file as a script to print precision,
recall and F1 per type for the "dev" and "heldout" stories::

    python tests/entities/test_abc_gold.py [ZIP]
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from reader.bench.corpus import read_stories
from reader.entities import recognize

GOLD = Path(__file__).with_name("abc_gold.yaml")
_REPO = Path(__file__).resolve().parents[2]
#: ../shared beside the repository (or beside the folder of worktrees).
ZIP = next(
    (
        folder / "shared" / "corpora" / "abc-news-2006.zip"
        for folder in (_REPO.parent, _REPO.parent.parent)
        if (folder / "shared" / "corpora" / "abc-news-2006.zip").exists()
    ),
    _REPO.parent / "shared" / "corpora" / "abc-news-2006.zip",
)
TYPES = ("person", "place", "organisation")


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def scores(zip_path: Path) -> dict[str, dict[str, Counter]]:
    """split -> type -> Counter(tp, fp, fn), at entity level (type, canonical name)."""
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["stories"]
    wanted = {item["digest"]: item for item in gold}
    found: dict[str, tuple[str, str]] = {}
    for story in read_stories(zip_path):
        body = "\n\n".join(story.paragraphs)
        key = digest(body)
        if key in wanted:
            found[key] = (story.headline, body)
    missing = set(wanted) - set(found)
    assert not missing, f"stories not in the archive: {sorted(missing)}"
    result: dict[str, dict[str, Counter]] = {}
    for key, item in wanted.items():
        headline, body = found[key]
        expected = {(kind, name) for kind, name in item["entities"]}
        predicted = {(e.type, e.name) for e in recognize(body, title=headline) if e.type in TYPES}
        split = result.setdefault(item["split"], {kind: Counter() for kind in TYPES})
        for kind in TYPES:
            exp = {name for k, name in expected if k == kind}
            got = {name for k, name in predicted if k == kind}
            split[kind]["tp"] += len(exp & got)
            split[kind]["fp"] += len(got - exp)
            split[kind]["fn"] += len(exp - got)
    return result


def prf(tally: Counter) -> tuple[float, float, float]:
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_abc_gold_scores():
    if not ZIP.exists():
        pytest.skip("the ABC archive (../shared/corpora/abc-news-2006.zip) is not here")
    result = scores(ZIP)
    for split in ("dev", "heldout"):
        precision, recall, f1 = prf(result[split]["person"])
        assert f1 >= 0.85, (split, "person", precision, recall)
        precision, recall, f1 = prf(result[split]["place"])
        assert f1 >= 0.85, (split, "place", precision, recall)
        precision, recall, f1 = prf(result[split]["organisation"])
        assert f1 >= 0.5, (split, "organisation", precision, recall)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ZIP
    for split, by_type in scores(path).items():
        for kind, tally in by_type.items():
            p, r, f = prf(tally)
            print(f"{split:8} {kind:13} P {p:.2f}  R {r:.2f}  F1 {f:.2f}  {dict(tally)}")
