"""Counts as a person reads them: "1 article", "2,000 articles"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with thousands separated and ``noun``, plural unless it is one."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
