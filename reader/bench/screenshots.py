"""Make the SVG screenshots the README shows, from the real app on a corpus.

    python -m reader.bench.screenshots                # bundled corpus -> ./screenshots/
    python -m reader.bench.screenshots --out DIR --corpus DIR

Each picture is a short key script run headless at a fixed size and theme, in
a throw-away ``READER_HOME`` so that no session or index of yours is used.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from reader.support.locations import bundled_corpus


@dataclass(frozen=True, slots=True)
class Scene:
    """One screenshot: file name, terminal size, theme, and what to do first."""

    name: str
    size: tuple[int, int]
    keys: tuple[str, ...]
    theme: str = "textual-dark"
    title: str = "reader"


def _typed(text: str) -> tuple[str, ...]:
    return tuple("space" if char == " " else char for char in text)


#: Query "Kishi", open the top result, pick the first person and jump to a mention.
_STUDY = (*_typed("Kishi"), "enter", "tab", "enter", "n")

#: Highlight a sentence, then two more with a note and tags, and open the highlights view.
_HIGHLIGHT = (
    *_typed("Kishi"),
    "enter",
    "right_parenthesis",
    "h",
    "right_parenthesis",
    "right_parenthesis",
    "shift+down",
    "h",
    "a",
    *_typed("Joint stance on coercion"),
    "tab",
    *_typed("japan vietnam"),
    "enter",
)

SCENES = (
    Scene("main", (140, 40), _STUDY),
    Scene("main-light", (140, 40), _STUDY, theme="textual-light"),
    Scene("wide", (200, 60), (*_typed("agreement"), "enter")),
    Scene("narrow", (80, 24), (*_typed("cybersecurity"), "enter")),
    Scene("narrow-entities", (80, 24), (*_typed("cybersecurity"), "enter", "e")),
    Scene("help", (120, 40), ("escape", "question_mark")),
    Scene("reading-highlights", (140, 40), (*_HIGHLIGHT, "right_parenthesis")),
    Scene("highlights", (140, 40), (*_HIGHLIGHT, "v")),
    Scene("explore", (140, 40), (*_typed("Japan"), "escape", "E", "tab", "tab", "down", "down")),
    Scene("explore-narrow", (80, 24), (*_typed("Kishi"), "escape", "E")),
    Scene("entity-page", (140, 40), ("escape", "E", "down", "i")),
    Scene("agreements", (140, 40), ("escape", "E", "a", "enter")),
)


async def take(
    scene: Scene,
    corpus: Path,
    out: Path,
    before_save: Callable[[object], Awaitable[None]] | None = None,
) -> Path:
    """Run one scene and write ``out/<name>.svg``."""
    from reader.app import make_app
    from reader.app.pilot import settle

    app = make_app(corpus, restore=False)
    async with app.run_test(size=scene.size) as pilot:
        app.theme = scene.theme
        await settle(pilot)
        for key in scene.keys:
            await pilot.press(key)
            await settle(pilot)
        app.clear_notifications()  # toasts expire on a timer
        await pilot.pause()
        if before_save is not None:
            await before_save(pilot)
        path = out / f"{scene.name}.svg"
        path.write_text(app.export_screenshot(title=scene.title), encoding="utf-8")
    return path


async def take_all(corpus: Path, out: Path, only: set[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [await take(scene, corpus, out) for scene in SCENES if not only or scene.name in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for SVGs")
    parser.add_argument("--corpus", type=Path, default=bundled_corpus(), help="articles folder")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these scenes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reader-shots-") as home:
        os.environ["READER_HOME"] = home
        for path in asyncio.run(take_all(args.corpus.resolve(), args.out, set(args.only or ()))):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
