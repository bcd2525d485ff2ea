"""Parse the user's query with Whoosh's query language, and explain a bad one.

The language: words (all must match), ``AND``/``OR``/``NOT``, ``"phrases"``,
``field:value`` (title, body, source, author, date, person, place, org, agreement),
``prefix*``, ``fuzzy~`` (or ``fuzzy~2``), and date ranges such as
``date:[2021-01-01 to 2021-12-31]`` or ``date:2014``.

Whoosh's parser accepts nearly anything and quietly turns mistakes into
something else. :func:`parse` checks first for the mistakes people make
(unbalanced quotes or brackets, unknown fields, unreadable dates) and raises
:class:`QueryError` with a message that says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re

from whoosh import qparser
from whoosh.query import FuzzyTerm, NullQuery, Query

#: The fields a query can name, with the index field each one means.
FIELD_ALIASES = {
    "title": "title",
    "body": "body",
    "text": "body",
    "source": "source",
    "author": "author",
    "date": "date",
    "person": "people",
    "people": "people",
    "place": "places",
    "places": "places",
    "org": "organisations",
    "organisation": "organisations",
    "organisations": "organisations",
    "agreement": "agreements",
    "agreements": "agreements",
}
#: The fields the "unknown field" message names (``org:`` works too: the message is kept
#: short enough for the search status at 120 columns).
QUERY_FIELDS = ("title", "body", "source", "author", "date", "person", "place", "agreement")

MAX_QUERY_CHARS = 2000
#: ``word~N`` allows at most this many edits: more matches most of the vocabulary
#: (``government~9`` took seconds) and finds nothing a reader would call similar.
MAX_EDITS = 2
_FIELD_RE = re.compile(r"(?<![\w.])([A-Za-z_][\w]*):(?!//)")


class QueryError(ValueError):
    """A query that cannot be run; the message says why, in one line."""


def _strip_quoted(text: str) -> str:
    """``text`` with the insides of double-quoted phrases blanked out."""
    return re.sub(r'"[^"]*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def check(text: str) -> None:
    """Raise QueryError for the mistakes Whoosh would silently reinterpret."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    if text.count('"') % 2:
        raise QueryError('a phrase is opened with " but never closed')
    outside = _strip_quoted(text)
    depth = 0
    for char in outside:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("a ) closes a bracket that was never opened")
    if depth > 0:
        raise QueryError("a ( is opened but never closed")
    if outside.count("[") != outside.count("]"):
        raise QueryError("a date range needs both [ and ], as in date:[2021-01-01 to 2021-12-31]")
    for match in _FIELD_RE.finditer(outside):
        name = match.group(1)
        if name.lower() not in FIELD_ALIASES:
            fields = ", ".join(QUERY_FIELDS)
            raise QueryError(f"unknown field {name!r}: use one of {fields} (or quote the words)")
        if match.end() == len(outside) or outside[match.end()].isspace():
            raise QueryError(
                f"{name}: needs a word right after it, as in {name.lower()}:japan"
                if name.lower() != "date"
                else "date: needs a date right after it, as in date:2021-09"
            )


class _TypedFuzzyTermPlugin(qparser.FuzzyTermPlugin):
    """Whoosh's ``word~``; each fuzzy term also keeps the word as typed (``typed``):
    its text is the analysed word, a stem in the prose fields."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser):  # type: ignore[no-untyped-def]
            made = super().query(parser)
            if isinstance(made, FuzzyTerm):
                made.typed = self.text
            return made


class _Parser:
    """A configured Whoosh parser; built once per schema."""

    def __init__(self, schema) -> None:  # type: ignore[no-untyped-def]
        parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
        parser.add_plugin(_TypedFuzzyTermPlugin())
        parser.add_plugin(qparser.GtLtPlugin())
        aliases: dict[str, list[str]] = {}
        for alias, real in FIELD_ALIASES.items():
            if alias != real:
                aliases.setdefault(real, []).append(alias)
        parser.add_plugin(qparser.FieldAliasPlugin(aliases))
        self.parser = parser

    def parse(self, text: str) -> Query:
        try:
            return self.parser.parse(_normalise_dates(_normalise_fields(text)))
        except QueryError:
            raise
        except Exception as error:
            raise QueryError(f"cannot read the query: {error}") from None


_DATE_EXPR = re.compile(r"\bdate:(\[[^\]]*\]|[<>]=?[^\s)]+|[^\s)]+)")
_DATE_VALUE = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$")
_DATE_HELP = "use YYYY, YYYY-MM, YYYY-MM-DD or a range like date:[2021-01 to 2021-06]"


def _compact_date(value: str) -> str:
    """``2021-09-30`` -> ``20210930`` (what Whoosh's date field reads), checked."""
    match = _DATE_VALUE.match(value.strip())
    if not match:
        raise QueryError(f"cannot read the date {value.strip()!r}: {_DATE_HELP}")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise QueryError(f"{value.strip()!r} is not a real date: {_DATE_HELP}") from None
    return year + (month or "") + (day or "")


def _period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``2021``, ``2021-09`` or ``2021-09-12``."""
    compact = _compact_date(value)
    year, month, day = int(compact[:4]), int(compact[4:6] or 0), int(compact[6:] or 0)
    if day:
        first = last = dt.date(year, month, day)
    elif month:
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return first, last


def _normalise_dates(text: str) -> str:
    """Rewrite the dates of ``date:`` expressions for Whoosh, or explain a bad one."""

    def rewrite(match: re.Match[str]) -> str:
        value = match.group(1)
        if value.startswith("["):
            parts = re.split(r"(?:^|\s)to(?:\s|$)", value[1:-1].strip(), flags=re.IGNORECASE)
            if len(parts) != 2 or not any(p.strip() for p in parts):
                raise QueryError(f"a date range needs 'to', as in {_DATE_HELP.split('like ')[1]}")
            start, end = (_compact_date(p) if p.strip() else "" for p in parts)
            # Whoosh reads an open end only without the space: "[2021 to]", "[to 2014]".
            return (
                "date:[" + (f"{start} " if start else "") + "to" + (f" {end}" if end else "") + "]"
            )
        if value[0] in "<>":
            op = value[:2] if value[1:2] == "=" else value[:1]
            first, last = _period(value[len(op) :])
            # Whole periods: ">2021-09" is from October on, "<=2021" up to 31 December.
            if op == ">":
                return f"date:[{(last + dt.timedelta(days=1)):%Y%m%d} to]"
            if op == ">=":
                return f"date:[{first:%Y%m%d} to]"
            if op == "<":
                return f"date:[to {(first - dt.timedelta(days=1)):%Y%m%d}]"
            return f"date:[to {last:%Y%m%d}]"
        return f"date:{_compact_date(value)}"

    return _DATE_EXPR.sub(rewrite, text)


def _normalise_fields(text: str) -> str:
    """Field names are case-insensitive for the user; Whoosh's are lower case."""
    return _FIELD_RE.sub(lambda m: m.group(1).lower() + ":", text)


def parse(text: str, schema) -> Query:  # type: ignore[no-untyped-def]
    """Parse ``text`` into a Whoosh query, or raise QueryError with the reason."""
    check(text)
    # A parser per call: cheap, and its date-error list is never shared between threads.
    query = _Parser(schema).parse(text)
    if query is NullQuery or isinstance(query, type(NullQuery)):
        words = re.findall(r"\w+", text)
        if words and all(len(word) < 2 for word in words):
            raise QueryError("single letters are not indexed; type at least two letters")
        raise QueryError(
            "the query has only very common words (like 'the' or 'and'), which are not indexed"
        )
    for part in query.leaves() if not query.is_leaf() else [query]:
        if isinstance(part, FuzzyTerm) and part.maxdist > MAX_EDITS:
            typed = getattr(part, "typed", None) or part.text
            raise QueryError(
                f"{typed}~{part.maxdist} allows too many edits: at most {MAX_EDITS}, "
                f"as in {typed}~{MAX_EDITS}"
            )
    return query


#: The last word of a query being typed: a plain word (optionally after ``field:``),
#: at the start or after a space or a bracket.
_LAST_WORD = re.compile(r"(?:^|(?<=[\s(]))((?:[A-Za-z_]\w*:)?)([^\W_]+)$")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def while_typing(text: str) -> str | None:
    """The query to run while ``text`` is still being typed, or None to wait.

    The last word is treated as the start of a word (``gover`` searches
    ``gover*``), unless a space ends it; a one-letter last word, or an
    operator, waits for more. An unfinished phrase or bracket waits quietly
    (``None``): the exact query, and its error if it has one, runs on Enter.
    Other mistakes (an unknown field) are left in, for the search to explain.
    """
    if text.count('"') % 2:
        return None
    outside = _strip_quoted(text)
    if outside.count("(") > outside.count(")") or outside.count("[") > outside.count("]"):
        return None
    if not text.strip() or text[-1].isspace():
        return text
    if text.endswith(":"):
        return None  # a field name, its value still to come
    match = _LAST_WORD.search(text)
    if match is None:
        return text
    field, word = match.group(1), match.group(2)
    head = text[: match.start()]
    if field.lower() == "date:":
        return text  # dates are whole values, not prefixes
    if word in _OPERATORS or len(word) < 2:
        # Wait for the next word: search what comes before (nothing yet: wait).
        rest = head.rstrip()
        while rest.split() and rest.split()[-1] in _OPERATORS:
            rest = rest[: rest.rfind(rest.split()[-1])].rstrip()
        return rest if rest.strip() and not rest.endswith(":") else None
    return f"{head}{field}{word}*"
