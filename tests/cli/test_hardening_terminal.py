"""The app on a real pseudo-terminal: escape sequences in articles never reach it.

The reader is started as a user starts it (``python -m reader --corpus DIR``) on
a pty, on a folder whose bodies, titles, sources and file names carry terminal
escape sequences, 8-bit C1 controls, bidi overrides and Rich/Textual markup.
Everything the app writes to the terminal is read back and checked.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty", reason="needs a pseudo-terminal")
fcntl = pytest.importorskip("fcntl", reason="needs a pseudo-terminal")
termios = pytest.importorskip("termios", reason="needs a pseudo-terminal")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

REPO = Path(__file__).resolve().parents[2]
COLUMNS, LINES = 120, 40
OSC52_PAYLOAD = "cHduZWQtY2xpcGJvYXJk"  # base64 of "pwned-clipboard"
OSC52 = f"\x1b]52;c;{OSC52_PAYLOAD}\x07"
OSC_TITLE = "\x1b]0;pwned\x07"
#: Sequences Textual never writes itself, so finding one means an article's got through.
FOREIGN_CSI = ("\x1b[66;66H", "\x1b[8;99;999t", "\x1b[?1000;1006;1015l", "\x1b[5i")

HOSTILE_MD = (
    "---\n"
    'title: "[bold]Zanzibar[/] harbour \\e]0;pwned\\a \\x9b31m \\u202Eevil"\n'
    'source: "[@click=app.quit]Clicky[/] \\x9d8;;https://x\\x9c"\n'
    'author: "[link=https://x]Linky[/link]"\n'
    "date: 2021-09-12\n"
    "---\n"
    "Zanzibar port talks. \x1b]52;c;" + OSC52_PAYLOAD + "\x07 The [bold]delegates[/] met.\n\n"
    "A title change \x1b]0;pwned\x07 and a clear \x1b[2J\x1b[66;66H with \x1b[8;99;999t.\n"
    "Eight-bit \x9b31m red \x9d0;pwned\x9c and a bell \x07\x07 and \u202eoverride.\n"
    "Markup [link=https://x]click me[/link] and [@click=app.quit]quit[/] stay text.\n"
)
HOSTILE_TXT = (
    "[bold]Zanzibar[/] wire report \x1b[5i\x1b]52;c;" + OSC52_PAYLOAD + "\x07\n\n"
    "Zanzibar delegates \x1b[?1000;1006;1015l signed \x9b2J nothing.\n"
    "Markup [link=https://x]click me[/link] and [@click=app.quit]quit[/] stay text.\n"
)
# File names may hold anything but "/" and NUL; the title of the .txt is its first line.
HOSTILE_NAMES = {
    "zanzibar-\x1b]0;pwned\x07-\x9b31m-\u202efdp.md": HOSTILE_MD,
    "wire-\x1b]52;c;" + OSC52_PAYLOAD + "\x07-[bold]x[-].txt": HOSTILE_TXT,
}


class Terminal:
    """A child process on a pty, with everything it writes collected by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        winsize = struct.pack("HHHH", LINES, COLUMNS, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, winsize)
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=str(REPO),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.data = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None:
                        # Drain what is left, then stop.
                        ready, _, _ = select.select([self.master], [], [], 0.2)
                        if not ready:
                            return
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            with self._lock:
                self.data.extend(chunk)

    def text(self) -> str:
        with self._lock:
            return bytes(self.data).decode("utf-8", "replace")

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            if self.process.poll() is not None:
                return predicate(self)
            time.sleep(0.1)
        return False

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        os.close(self.master)


def visible_screen(output: str) -> str:
    """What a terminal would show: pyte when installed, else the text with sequences removed."""
    try:
        import pyte
    except ImportError:
        return strip_sequences(output)
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.Stream(screen)
    stream.feed(output)
    return "\n".join(screen.display)


_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1b[P_^X][^\x1b]*\x1b\\"  # DCS, APC, PM, SOS ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|[\x00-\x08\x0b-\x1f\x7f]"
)


def strip_sequences(output: str) -> str:
    return _SEQUENCE.sub("", output)


def osc_bodies(output: str) -> list[str]:
    """The text of every OSC sequence written (ESC ] ... BEL/ST), including unterminated ones."""
    return re.findall(r"\x1b\]([^\x07\x1b]*)", output)


def write_corpus(folder: Path, names: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in names.items():
        try:
            (folder / name).write_text(text, encoding="utf-8")
        except (OSError, ValueError):
            pytest.skip("this file system refuses control characters in file names")
    return folder


def run_session(corpus: Path, home: Path) -> tuple[str, str, bytes]:
    """Start the app on ``corpus``, search, open the top result, click, quit.

    Returns the screen as shown just before quitting, and the whole output.
    """
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "READER_HOME": str(home),
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    env.pop("READER_CORPUS", None)
    env.pop("TEXTUAL", None)  # no devtools, no debug console
    term = Terminal([sys.executable, "-m", "reader", "--corpus", str(corpus)], env)
    try:
        assert term.wait_for(lambda t: "No article open" in strip_sequences(t.text())), (
            "the app did not draw:\n" + visible_screen(term.text())
        )
        # The index is built after the first paint; wait until the articles are listed.
        assert term.wait_for(lambda t: "2 articles" in strip_sequences(t.text())), (
            "the articles were not listed:\n" + visible_screen(term.text())
        )
        term.send("zanzibar")
        assert term.wait_for(lambda t: "by relevance" in strip_sequences(t.text())), (
            "the search did not answer:\n" + visible_screen(term.text())
        )
        term.send("\r")  # opens the top result
        assert term.wait_for(lambda t: "stay text" in strip_sequences(t.text())), (
            "the article did not open:\n" + visible_screen(term.text())
        )
        # Click where [@click=app.quit] would be a link, were it taken as markup.
        for row, line in enumerate(visible_screen(term.text()).split("\n")):
            column = line.find("Clicky")
            if column != -1:
                for button in ("\x1b[<0;{x};{y}M", "\x1b[<0;{x};{y}m"):
                    term.send(button.format(x=column + 2, y=row + 1))
        time.sleep(1.0)
        shown = visible_screen(term.text())
        assert term.process.poll() is None, "the app quit before ctrl+q: markup was obeyed"
        term.send("\x11")  # ctrl+q
        assert term.wait_for(lambda t: t.process.poll() is not None, timeout=15), "did not quit"
    finally:
        term.close()
    return shown, term.text(), bytes(term.data)


def assert_nothing_from_the_articles(shown: str, output: str, raw: bytes) -> None:
    # No escape sequence from the articles.
    for body in osc_bodies(output):
        assert OSC52_PAYLOAD not in body and "pwned" not in body, repr(body)
        assert not body.startswith("52;"), repr(body)
    for sequence in FOREIGN_CSI:
        assert sequence not in output, repr(sequence)
    # No 8-bit controls and no bidi overrides, whether as characters or as raw bytes.
    for char in ("\x9b", "\x9c", "\x9d", "\u202e"):
        assert char not in output, repr(char)
        assert char.encode("utf-8") not in raw, repr(char)
    assert "\x07" not in strip_sequences(output)  # no BEL outside Textual's own OSC ends
    # Markup in titles, sources and bodies is shown, not obeyed.
    assert "[bold]Zanzibar[/]" in shown, shown
    assert "[@click=app.quit]Clicky[/]" in shown, shown
    assert "[link=https://x]" in shown, shown
    # The hostile text was on screen, neutralised: control pictures stand in.
    assert "\u241b]0;pwned\u2407" in shown, shown  # ␛]0;pwned␇


def test_escapes_in_article_text_never_reach_the_terminal(tmp_path):
    """Bodies, titles, sources and authors full of escapes; plain file names."""
    names = {"zanzibar-harbour.md": HOSTILE_MD, "wire-report.txt": HOSTILE_TXT}
    corpus = write_corpus(tmp_path / "hostile", names)
    shown, output, raw = run_session(corpus, tmp_path / "home")
    assert_nothing_from_the_articles(shown, output, raw)


def test_escapes_in_file_names_never_reach_the_terminal(tmp_path):
    corpus = write_corpus(tmp_path / "hostile", HOSTILE_NAMES)
    shown, output, raw = run_session(corpus, tmp_path / "home")
    assert_nothing_from_the_articles(shown, output, raw)
