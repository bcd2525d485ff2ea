"""Cut a long text into consecutive windows at paragraph, line or sentence ends.

Entity recognition reads a long body a window at a time
(:mod:`reader.entities.recognizer`), and a big file is read the same way as it
streams in (:mod:`reader.corpus.streaming`): both cut with :func:`cut`, so the
windows of a streamed body are exactly those of the whole one.
"""

from __future__ import annotations

#: Where a window prefers to end, best first: after a blank line, a line end,
#: a sentence end, a space.
_MARKS = ("\n\n", "\n", ". ", " ")


def cut(text: str, start: int, size: int) -> int:
    """Where the window of ``text`` that starts at ``start`` ends: after the last
    mark in its second half (:data:`_MARKS`, best first), else after ``size``
    characters. Only ``text[start : start + size]`` is looked at."""
    limit = start + size
    least = start + size // 2
    for mark in _MARKS:
        found = text.rfind(mark, least, limit)
        if found != -1:
            return found + len(mark)
    return limit


def windows(body: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``body`` of at most ``size`` characters,
    each cut after a blank line, else a line end, else a sentence end or a space."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(body) - start > size:
        end = cut(body, start, size)
        spans.append((start, end))
        start = end
    spans.append((start, len(body)))
    return spans
