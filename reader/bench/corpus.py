"""Make large test corpora from real news, for benchmarks and scale tests.

The ABC (Australian Broadcasting Commission) rural and science news of 2006, as
distributed with NLTK's data (``corpora/abc``), holds about 3,000 stories. This
module splits it into stories and writes ``N`` article files, replicating the
stories with variations (paragraphs dropped and reordered, sentences borrowed
from another story, dates and numbers changed) so that no two files are the
same text. Nothing here is shipped: the archive is read where it lies.

    python -m reader.bench.corpus 10000 /tmp/abc10k --zip ../shared/corpora/abc-news-2006.zip
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ZIP = Path("..") / "shared" / "corpora" / "abc-news-2006.zip"
_MEMBERS = {"rural.txt": "ABC Rural", "science.txt": "ABC Science"}


@dataclass(frozen=True, slots=True)
class Story:
    headline: str
    paragraphs: tuple[str, ...]
    source: str


def read_stories(zip_path: Path) -> list[Story]:
    """Every story in the archive, in order."""
    stories: list[Story] = []
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if name not in _MEMBERS:
                continue
            text = archive.read(info).decode("utf-8", "replace").replace("\r\n", "\n")
            stories.extend(split_stories(text, _MEMBERS[name]))
    return stories


def split_stories(text: str, source: str) -> list[Story]:
    """Split on blank lines. A block whose first line is a short sub-heading (under
    four words) continues the story before it."""
    stories: list[Story] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0]
        if stories and (len(first.split()) < 4 or len(lines) == 1):
            previous = stories[-1]
            stories[-1] = Story(previous.headline, (*previous.paragraphs, *lines), source)
            continue
        if len(lines) < 2:
            continue
        stories.append(Story(first, tuple(lines[1:]), source))
    return stories


def _vary(story: Story, other: Story, rng: random.Random, copy: int) -> Story:
    paragraphs = list(story.paragraphs)
    if copy and len(paragraphs) > 3:
        drop = rng.randrange(1, len(paragraphs))
        del paragraphs[drop]
    if copy and len(paragraphs) > 2 and rng.random() < 0.5:
        i = rng.randrange(1, len(paragraphs))
        j = rng.randrange(1, len(paragraphs))
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    if copy and other.paragraphs:
        paragraphs.append(rng.choice(other.paragraphs))
    if copy:
        paragraphs = [
            re.sub(r"\b(\d{2,})\b", lambda m: str(int(m.group(1)) + rng.randrange(1, 9)), p)
            for p in paragraphs
        ]
    headline = story.headline if not copy else f"{story.headline} ({copy + 1})"
    return Story(headline, tuple(paragraphs), story.source)


def write_corpus(stories: list[Story], size: int, dest: Path, seed: int = 2006) -> int:
    """Write ``size`` article files into ``dest``; return how many were written."""
    if not stories:
        raise ValueError("no stories to write")
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    start = dt.date(2006, 1, 1)
    for n in range(size):
        base = stories[n % len(stories)]
        copy = n // len(stories)
        other = stories[rng.randrange(len(stories))]
        story = _vary(base, other, rng, copy)
        date = start + dt.timedelta(days=rng.randrange(365))
        folder = dest / f"{date:%Y-%m}"
        folder.mkdir(exist_ok=True)
        front = (
            "---\n"
            f"title: {_yaml_string(story.headline)}\n"
            f"source: {story.source}\n"
            f"date: {date.isoformat()}\n"
            "---\n\n"
        )
        body = "\n\n".join(story.paragraphs) + "\n"
        (folder / f"story-{n:06d}.md").write_text(front + body, encoding="utf-8")
    return size


def _yaml_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="number of articles to write")
    parser.add_argument("dest", type=Path, help="folder to write them into")
    parser.add_argument("--zip", type=Path, default=DEFAULT_ZIP, help="the ABC news archive")
    parser.add_argument("--seed", type=int, default=2006)
    args = parser.parse_args(argv)
    if not args.zip.is_file():
        parser.error(f"archive not found: {args.zip}")
    stories = read_stories(args.zip)
    write_corpus(stories, args.size, args.dest, args.seed)
    print(f"wrote {args.size} articles from {len(stories)} stories into {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
