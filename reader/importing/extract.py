"""An HTML page to a clean article: Markdown body, title, author, date, site.

trafilatura finds the article in the page (and, through htmldate, its date). The
body is rendered here from trafilatura's element tree, not with its own Markdown
writer, so that the text stays plain: headings (``##``), list items (``-``),
quotes (``>``) and tables as lines of cells, but no inline emphasis and no
backslash escapes, which the reader would show as written.

Quality (measured with ``python -m reader.bench.import_quality``): trafilatura's
balanced mode, comments left out; where it finds (almost) nothing, its recall mode
and its baseline are tried and the longest text is kept. Its precision mode was
measured too and dropped: it left out whole parts of articles on one page in six.
Nothing from a page runs: the HTML is parsed by lxml as data only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

#: Pages larger than this are cut before parsing: nobody saves a 20 MB article.
MAX_HTML_BYTES = 20 * 1024 * 1024
#: A body shorter than this (characters) means trafilatura missed the article.
FALLBACK_BELOW = 200
#: Fewer words than this is not an article (a login wall, a cookie page, an index).
MIN_WORDS = 10

_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class ExtractError(ValueError):
    """A page with no article in it; the message says why."""


@dataclass(slots=True)
class Extracted:
    """What one page holds: the article body as Markdown and what is known about it."""

    body: str
    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)


def _quiet_libraries() -> None:
    # trafilatura and htmldate log every page they find hard at WARNING: that is
    # noise on the user's terminal, and the reader reports its own failures.
    for name in ("trafilatura", "htmldate", "courlan", "readability", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


_quiet_libraries()


def extract(html: bytes | str, url: str | None = None) -> Extracted:
    """The article of one page, or :class:`ExtractError` when there is none."""
    import trafilatura

    html = html[:MAX_HTML_BYTES]
    if not html.strip():
        raise ExtractError("the page is empty")
    options: dict[str, Any] = {
        "url": url,
        "include_comments": False,
        "include_tables": True,
        "include_formatting": True,
        "with_metadata": True,
    }
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, TypeError) as error:
        raise ExtractError(f"not readable as HTML: {error}") from None
    if tree is None:
        raise ExtractError("not readable as HTML")
    document = _bare(trafilatura, tree, **options)
    body = render(document.body) if document is not None else ""
    if len(body) < FALLBACK_BELOW:
        # The balanced mode missed the article (a page laid out unusually): try the
        # recall mode and trafilatura's baseline on a fresh parse, keep the longest.
        body = max(body, _fallback(trafilatura, html, options), key=len)
    if len(body.split()) < MIN_WORDS:
        raise ExtractError("no article text found in the page")
    meta = document if document is not None else _metadata(trafilatura, html, url)
    source = _clean(meta.sitename) or _clean(meta.hostname)
    title = _without_site(_clean(meta.title), source)
    return Extracted(
        body=_without_title(body, title),
        title=title,
        author=_clean(meta.author),
        date=_date(meta.date),
        source=source,
        url=meta.url or url,
        tags=[t for t in (_clean(x) for x in (meta.tags or [])) if t][:20],
    )


def _fallback(trafilatura, html: bytes | str, options: dict[str, Any]) -> str:
    recall = _bare(trafilatura, trafilatura.load_html(html), favor_recall=True, **options)
    best = render(recall.body) if recall is not None else ""
    try:
        _, text, _ = trafilatura.baseline(html)
    except (ValueError, TypeError, AttributeError):
        text = ""
    if len(text) > len(best):
        paragraphs = [_tidy(line) for line in text.split("\n")]
        best = "\n\n".join(p for p in paragraphs if p) + "\n"
    return best


def _metadata(trafilatura, html: bytes | str, url: str | None):
    try:
        return trafilatura.extract_metadata(trafilatura.load_html(html), default_url=url)
    except (ValueError, TypeError, AttributeError):
        from trafilatura.settings import Document

        return Document()


def _bare(trafilatura, tree, **options):
    try:
        return trafilatura.bare_extraction(tree, **options)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError):
        # A page that breaks the extractor is a failed page, never a crash.
        return None


def _without_title(body: str, title: str | None) -> str:
    """The body without a first heading that repeats the title (the front matter has it)."""
    first, _, rest = body.partition("\n\n")
    if title and first.startswith("#") and _key(first.lstrip("#")) == _key(title) and rest.strip():
        return rest
    return body


_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")


def _without_site(title: str | None, site: str | None) -> str | None:
    """The title without the site's name that pages append to it ("Story | Site")."""
    if not title or not site:
        return title
    for separator in _SITE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and _key(tail) == _key(site):
            return head.strip()
        tail, found, rest = title.partition(separator)
        if found and rest.strip() and _key(tail) == _key(site):
            return rest.strip()
    return title


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


# -- the body as Markdown -----------------------------------------------------------------------


def render(body) -> str:
    """trafilatura's body element tree as plain Markdown paragraphs."""
    if body is None:
        return ""
    blocks: list[str] = []
    _blocks_of(body, blocks, quote=False)
    text = "\n\n".join(b for b in blocks if b.strip())
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n" if text.strip() else ""


def _blocks_of(element, blocks: list[str], *, quote: bool) -> None:
    """The blocks inside ``element``: its children, and loose text between them."""
    prefix = "> " if quote else ""
    if element.text and element.text.strip():
        blocks.append(prefix + _tidy(element.text))
    for child in element:
        _block(child, blocks, quote=quote)
        if child.tail and child.tail.strip():
            blocks.append(prefix + _tidy(child.tail))


def _block(element, blocks: list[str], *, quote: bool) -> None:
    tag = element.tag
    prefix = "> " if quote else ""
    if tag == "head":
        text = _inline(element)
        if text:
            level = _heading_level(element.get("rend"))
            blocks.append(prefix + "#" * level + " " + text)
    elif tag == "list":
        items = []
        ordered = element.get("rend") == "ol"
        for number, item in enumerate(element.iterchildren("item"), start=1):
            text = _inline(item)
            if text.startswith("- ") and not (item.text or "").lstrip().startswith("-"):
                text = text[2:]  # trafilatura's text writer marks items itself
            if text:
                items.append(prefix + (f"{number}. " if ordered else "- ") + text)
        if items:
            blocks.append("\n".join(items))
    elif tag == "quote":
        inner: list[str] = []
        has_blocks = any(c.tag in ("p", "head", "list", "quote") for c in element)
        if has_blocks:
            _blocks_of(element, inner, quote=True)
        else:
            text = _inline(element)
            if text:
                inner.append("> " + text)
        if inner:
            blocks.append("\n>\n".join(inner))
    elif tag == "table":
        rows = []
        for row in element.iter("row"):
            cells = [_inline(cell) for cell in row.iterchildren("cell")]
            cells = [c for c in cells if c]
            if cells:
                rows.append(prefix + " | ".join(cells))
        if rows:
            blocks.append("\n".join(rows))
    elif tag in ("graphic", "lb"):
        return
    elif tag in ("code",):
        text = element.text_content() if hasattr(element, "text_content") else _all_text(element)
        text = text.strip("\n")
        if text.strip():
            blocks.append(prefix + ("\n" + prefix).join(text.split("\n")))
    else:  # p, div and anything else that holds text
        nested = [c for c in element if c.tag in ("list", "quote", "table", "head", "p")]
        if nested:
            _blocks_of(element, blocks, quote=quote)
        else:
            text = _inline(element)
            if text:
                blocks.append(prefix + text)


def _heading_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return min(max(int(rend[1]), 2), 6)
    return 2


def _inline(element) -> str:
    """The text of an element, line breaks kept, emphasis and links dropped.

    trafilatura's own text writer does the joining (it knows where inline elements
    need a space between them); the element's tail is set aside meanwhile, since it
    belongs to the parent.
    """
    from trafilatura.xml import xmltotxt

    tail, element.tail = element.tail, None
    try:
        text = xmltotxt(element, include_formatting=False)
    finally:
        element.tail = tail
    lines = [_tidy(line) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _all_text(element) -> str:
    return "".join(element.itertext())


def _tidy(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
