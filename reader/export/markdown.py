"""Markdown export, for reports and notes vaults.

Layout::

    # Highlights                                  (or "Passages matching …")

    ## Article title

    *Source* · Author · 2021-11-24 · <https://…> or the article's file

    > The quote, with **entity mentions** in bold and *query hits* in italics
    > (both: ***bold italics***). A single line break in the article is kept
    > as a hard break (a trailing backslash); a blank line stays inside the quote
    > as ">" so a multi-paragraph quote stays one quotation.

    **Note:** the note
    **Tags:** #tag #other

An orphaned highlight (its passage is no longer in the article) is preceded by
an italic line saying so. Only CommonMark is used: ``**`` and ``*`` need no
extension, unlike ``==mark==``.

Article text, titles, notes and tags are escaped so they cannot break the
document: every character that could open Markdown syntax (``\\ ` * _ [ ] < >
# | ~ = $ &``) is backslash-escaped, as is a ``-``, ``+`` or ``1.`` that would
start a list at the start of a line, and leading spaces (an indented code block
inside the quote) are dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from reader.export.model import ArticleInfo, Excerpt, ExcerptSet
from reader.support.textsafe import neutralize, one_line

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~=$&])")
_LIST_START = re.compile(r"^([-+]|\d{1,9}[.)])(?=\s|$)")
Span = tuple[int, int]


def escape(text: str) -> str:
    """``text`` as literal Markdown inline text (one line)."""
    return _SPECIAL.sub(r"\\\1", text)


def escape_line_start(line: str) -> str:
    """Escape what would make an (already escaped) line a list item or a rule."""
    match = _LIST_START.match(line)
    if match:
        cut = len(match.group(1)) - 1  # before the marker's last character: "\\-", "1\\."
        return line[:cut] + "\\" + line[cut:]
    return line


def render_markdown(excerpts: ExcerptSet, *, path_base: Path | None = None) -> str:
    """The export as a Markdown document.

    ``path_base``: article paths inside this folder are cited relative to it.
    """
    scope = excerpts.scope
    if scope.hits:
        heading = f"Passages matching {escape(one_line(scope.query or ''))}"
    elif scope.query:
        heading = f"Highlights in articles matching {escape(one_line(scope.query))}"
    else:
        heading = "Highlights"
    parts = [f"# {heading}"]
    if not excerpts.groups:
        parts.append("*Nothing to export.*")
    for group in excerpts.groups:
        parts.append(f"## {escape(group.article.display_title)}")
        parts.append(citation(group.article, path_base))
        if group.article.agreements:
            parts.append(agreements_line(group.article))
        for excerpt in group.excerpts:
            parts.append(_excerpt(excerpt))
    return "\n\n".join(parts) + "\n"


def excerpt_markdown(
    article: ArticleInfo, excerpt: Excerpt, *, path_base: Path | None = None
) -> str:
    """One excerpt with its citation, e.g. for the app's "copy to clipboard"."""
    title = f"**{escape(article.display_title)}**"
    return f"{_excerpt(excerpt)}\n\n— {title} · {citation(article, path_base)}\n"


def citation(article: ArticleInfo, path_base: Path | None = None) -> str:
    """One line: source, author, date, then the URL or the file."""
    bits = []
    if article.source:
        bits.append(f"*{escape(article.source)}*")
    if article.author:
        bits.append(escape(article.author))
    if article.date:
        bits.append(article.date.isoformat())
    if article.url:
        url = article.url
        bits.append(f"<{url}>" if re.fullmatch(r"https?://[^\s<>]+", url) else escape(url))
    elif article.path:
        bits.append(escape(_shown_path(article.path, path_base)))
    if not article.available:
        bits.append("*no longer in the corpus*")
    return " · ".join(bits) if bits else escape(one_line(article.id))


def agreements_line(article: ArticleInfo) -> str:
    """One line under the citation: each agreement's name, kind, status, date and parties."""
    items = []
    for agreement in article.agreements:
        bits = [agreement.kind or "agreement"]
        if agreement.status and agreement.status != "unknown":
            bits.append(agreement.status)
        if agreement.date:
            bits.append(agreement.date)
        if agreement.place:
            bits.append(f"in {agreement.place}")
        if agreement.parties:
            bits.append("parties: " + ", ".join(agreement.parties))
        items.append(f"{escape(agreement.name)} ({escape('; '.join(bits))})")
    return "**Agreements:** " + "; ".join(items)


def _shown_path(path: str, base: Path | None) -> str:
    if base is not None:
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            pass
    return path


def _excerpt(excerpt: Excerpt) -> str:
    lines = []
    if excerpt.orphaned:
        lines.append("*Orphaned: this passage is no longer in the current text of the article.*")
        lines.append("")
    quote = blockquote(excerpt.quote, excerpt.start, excerpt.entity_spans, excerpt.hits)
    if excerpt.kind == "hit":
        quote = _elide(quote, excerpt)
    lines.append(quote)
    extra = []
    if excerpt.note:
        note_lines = [escape_line_start(escape(line.strip())) for line in excerpt.note.split("\n")]
        extra.append("**Note:** " + "\\\n".join(_join_paragraphs(note_lines)))
    if excerpt.tags:
        extra.append("**Tags:** " + " ".join(f"#{escape(tag)}" for tag in excerpt.tags))
    if extra:
        lines.append("")
        lines.append("\\\n".join(extra))
    return "\n".join(lines)


def _elide(quote: str, excerpt: Excerpt) -> str:
    """Mark with "…" where a keyword-in-context passage cuts a paragraph."""
    if excerpt.prefix and not excerpt.prefix.endswith("\n"):
        quote = "> …" + quote[2:]
    if excerpt.suffix and not excerpt.suffix.startswith("\n"):
        quote += "…"
    return quote


def _join_paragraphs(lines: list[str]) -> list[str]:
    # A blank line inside a note would end the paragraph (and the "Note:" label with it).
    return [line for line in lines if line] or [""]


def blockquote(
    text: str, base: int, entities: Sequence[Span] = (), hits: Sequence[Span] = ()
) -> str:
    """``text`` as a Markdown blockquote; spans are offsets where ``text`` starts at ``base``."""
    text = neutralize(text)
    base += len(text) - len(text.lstrip("\n"))
    text = text.strip("\n")
    out: list[str] = []
    offset = 0
    raw_lines = text.split("\n")
    for i, line in enumerate(raw_lines):
        line_start = offset
        offset += len(line) + 1
        stripped = line.lstrip(" \t")
        lead = len(line) - len(stripped)
        stripped = stripped.rstrip()
        if not stripped:
            out.append(">")
            continue
        s0 = base + line_start + lead
        rendered = escape_line_start(
            emphasise(stripped, _clip(entities, s0, len(stripped)), _clip(hits, s0, len(stripped)))
        )
        nxt = raw_lines[i + 1].strip() if i + 1 < len(raw_lines) else ""
        hard_break = i + 1 < len(raw_lines) and nxt != ""
        out.append(f"> {rendered}" + ("\\" if hard_break else ""))
    return "\n".join(out)


def _clip(spans: Sequence[Span], start: int, length: int) -> list[Span]:
    clipped = []
    for s, e in spans:
        a, b = max(s - start, 0), min(e - start, length)
        if a < b:
            clipped.append((a, b))
    return _merge(clipped)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _trimmed(text: str, spans: list[Span]) -> list[Span]:
    """Spans without leading/trailing white space (emphasis cannot start or end with it)."""
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def emphasise(text: str, entities: Sequence[Span], hits: Sequence[Span]) -> str:
    """Escape ``text`` and mark entity spans **bold** and hit spans *italic* (nested)."""
    entities = _trimmed(text, _merge(list(entities)))
    hits = _trimmed(text, _merge(list(hits)))
    # Cut hits at entity edges so that the italics nest inside the bold.
    cuts = sorted({p for span in entities for p in span})
    pieces: list[Span] = []
    for s, e in hits:
        points = [s, *[c for c in cuts if s < c < e], e]
        pieces.extend(itertools.pairwise(points))
    hits = _trimmed(text, pieces)

    def inner(start: int, end: int) -> str:
        out, at = [], start
        for s, e in hits:
            if s >= start and e <= end:
                out.append(escape(text[at:s]))
                out.append(f"*{escape(text[s:e])}*")
                at = e
        out.append(escape(text[at:end]))
        return "".join(out)

    out, at = [], 0
    for s, e in entities:
        out.append(inner(at, s))
        out.append(f"**{inner(s, e)}**")
        at = e
    out.append(inner(at, len(text)))
    return "".join(out)
