"""Status lines: the viewer's position line and the index bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Static

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


class ViewerStatus(Static):
    """Where the reader is in the article and which hit or mention is current."""

    def show_position(
        self,
        line: int,
        lines: int,
        percent: int,
        target: int,
        targets: int,
        label: str,
        last: int = 0,
    ) -> None:
        text = Text()
        if lines:
            # The lines on screen: at the end of an article the last one is the last line.
            last = max(line, min(lines, last))
            shown = f"lines {line:,}–{last:,}" if last > line else f"line {line:,}"
            text.append(f"{shown} of {lines:,} · {percent}%")
        if targets:
            plural = label + ("s" if targets != 1 else "")
            if target >= 0:
                text.append(f" · {label} {target + 1} of {targets} (n/N)")
            else:
                text.append(f" · {targets} {plural} (n/N)")
        # One line high whatever it says (app.tcss): a repaint, not a new layout of
        # the screen, at every move of the cursor.
        self.update(text, layout=False)


class IndexBar(Horizontal):
    """The state of the index: a progress bar while it is brought up to date."""

    def compose(self) -> ComposeResult:
        yield Label("", id="index-message", markup=False)

    def _progress_bar(self) -> ProgressBar:
        # Mounted on first use: most launches never need one, and startup is faster.
        from textual.widgets import ProgressBar

        bars = self.query(ProgressBar)
        if bars:
            return bars.first()
        bar = ProgressBar(total=None, show_eta=False, id="index-progress")
        self.mount(bar)
        return bar

    def _say(self, message: str) -> None:
        # Not there while the app is torn down at exit: a worker's late word goes nowhere.
        for label in self.query("#index-message").results(Label):
            label.update(Text(message))

    def show_message(self, message: str, busy: bool = False) -> None:
        self._say(message)
        self.set_class(busy, "-busy")

    def show_task(self, message: str, done: int, total: int) -> None:
        """Progress of another long task (an import): its own message beside the bar."""
        self.set_class(True, "-busy")
        if self.is_attached:
            self._progress_bar().update(total=max(total, 1), progress=done)
        self._say(message)

    def show_progress(self, done: int, total: int) -> None:
        self.set_class(True, "-busy")
        if self.is_attached:
            self._progress_bar().update(total=max(total, 1), progress=done)
        self._say(f"Indexing {done:,} of {total:,} changed files — search works meanwhile")
