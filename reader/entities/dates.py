"""Dates in news sentences, resolved to ISO 8601 at the precision the text gives.

``find_date`` reads the first date expression of a stretch of text: absolute
("September 11, 2021", "11 September 2021", "Sept. 11", "February 1987",
"in 1975") or relative ("on Saturday", "Tuesday's", "yesterday", "last month",
"last year", "two months ago"). ``resolve`` turns what was found into
"2021-09-11", "1987-02" or "1975", against the article's date for the relative
ones and for a day and month without a year. A weekday is the latest such day on
or before the article's date (news reports what happened, "on Saturday" in a
Saturday paper is that day).

A small resolver of our own rather than ``dateparser``: that library parses a
whole string, not a date inside a sentence, and importing it costs about as much
as recognising a hundred articles, in every index worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}

_MONTH = (
    r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
_S = r"[ \u00a0]+"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_UNIT = r"(?:week|month|year)"
_DATE_RE = re.compile(
    "|".join(
        [
            # September 11, 2021 / Sept. 11 / September 11th
            rf"\b{_MONTH.format('m1')}{_S}{_DAY.format('d1')}\b(?:,?{_S}{_YEAR.format('y1')})?",
            # 11 September 2021 / 11 Sept
            rf"\b{_DAY.format('d2')}{_S}(?:of{_S})?{_MONTH.format('m2')}"
            rf"(?:,?{_S}{_YEAR.format('y2')})?\b",
            # February 1987
            rf"\b{_MONTH.format('m3')}{_S}(?:of{_S})?{_YEAR.format('y3')}\b",
            # "last July", "in March": a month without a year (capitalised: "may" is a verb)
            rf"\b(?P<mw>last|this|in|since|early|late|mid|on|by|until|of|from){_S}"
            r"(?-i:(?P<m4>January|February|March|April|May|June|July|August|September|October|"
            r"November|December))\b(?![ \u00a0]+\d)",
            # 2021-09-11
            r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b",
            # weekdays: "on Saturday", "Tuesday's", "last Friday"
            r"\b(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?:['’]s)?\b",
            # relative words
            rf"\b(?P<rel>yesterday|today|last{_S}{_UNIT}|this{_S}{_UNIT}|earlier{_S}this{_S}{_UNIT})\b",
            rf"\b(?P<ago>one|two|three|four|five|six|a|an){_S}(?P<unit>days?|weeks?|months?|years?)"
            rf"{_S}ago\b",
            # "in 1975", "1981 agreement": a year alone
            r"(?<![\w$.,-])(?P<year>(?:19[4-9]|20[0-4])\d)(?![\w%-])",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A date as written: ``text`` at ``start``, and what it means before resolution."""

    start: int
    end: int
    text: str
    #: "absolute", "weekday", "relative" or "year"
    form: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    #: weekday index (Monday 0) or a relative shift: ("day"|"week"|"month"|"year", n)
    shift: tuple[str, int] | None = None


def find_dates(text: str, offset: int = 0) -> list[DateExpression]:
    """Every date expression in ``text``, offsets shifted by ``offset``."""
    out: list[DateExpression] = []
    for match in _DATE_RE.finditer(text):
        expression = _expression(match, offset)
        if expression is not None:
            out.append(expression)
    return out


def _expression(match: re.Match[str], offset: int) -> DateExpression | None:
    start, end, text = match.start() + offset, match.end() + offset, match[0]
    group = match.groupdict()
    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if group[m]:
            day = int(group[d])
            if group[m].lower() == "may" and m == "m1" and not group[y] and day > 31:
                return None
            if not 1 <= day <= 31:
                return None
            year = int(group[y]) if group[y] else None
            month = MONTHS[group[m].lower().rstrip(".")]
            return DateExpression(start, end, text, "absolute", year, month, day)
    if group["m3"]:
        return DateExpression(
            start, end, text, "absolute", int(group["y3"]), MONTHS[group["m3"].lower()]
        )
    if group["m4"]:
        month = MONTHS[group["m4"].lower()]
        if group["mw"].lower() in ("by", "until"):
            return None
        shift = ("last-month", month) if group["mw"].lower() == "last" else ("month-name", month)
        return DateExpression(start, end, text, "relative", shift=shift)
    if group["iso"]:
        y, mo, d = (int(part) for part in group["iso"].split("-"))
        return DateExpression(start, end, text, "absolute", y, mo, d)
    if group["wd"]:
        index = WEEKDAYS.index(group["wd"].lower())
        return DateExpression(start, end, text, "weekday", shift=("weekday", index))
    if group["rel"]:
        words = group["rel"].lower().split()
        if words == ["yesterday"]:
            return DateExpression(start, end, text, "relative", shift=("day", -1))
        if words == ["today"]:
            return DateExpression(start, end, text, "relative", shift=("day", 0))
        unit = words[-1]
        return DateExpression(
            start, end, text, "relative", shift=(unit, -1 if words[0] == "last" else 0)
        )
    if group["ago"]:
        unit = group["unit"].lower().rstrip("s")
        return DateExpression(
            start, end, text, "relative", shift=(unit, -_NUMBERS[group["ago"].lower()])
        )
    if group["year"]:
        return DateExpression(start, end, text, "year", int(group["year"]))
    return None


def resolve(expression: DateExpression, article_date: date | None) -> str | None:
    """ISO 8601 at the precision the text gives; ``None`` when it needs a date we lack."""
    if expression.form in ("absolute", "year"):
        year = expression.year
        if year is None:
            if article_date is None:
                return None
            year = article_date.year
            # "Dec. 28" in a January paper is the December before.
            if expression.month is not None and expression.month > article_date.month + 1:
                year -= 1
        if expression.month is None:
            return f"{year:04d}"
        if expression.day is None:
            return f"{year:04d}-{expression.month:02d}"
        try:
            return date(year, expression.month, expression.day).isoformat()
        except ValueError:
            return f"{year:04d}-{expression.month:02d}"
    if article_date is None or expression.shift is None:
        return None
    unit, amount = expression.shift
    if unit in ("last-month", "month-name"):
        year = article_date.year
        # "last July" in an April paper, or "in December" in a January one: the year before
        later = amount > article_date.month or (
            unit == "last-month" and amount == article_date.month
        )
        if later and (unit == "last-month" or amount > article_date.month + 1):
            year -= 1
        return f"{year:04d}-{amount:02d}"
    if unit == "weekday":
        back = (article_date.weekday() - amount) % 7
        return (article_date - timedelta(days=back)).isoformat()
    if unit == "day":
        return (article_date + timedelta(days=amount)).isoformat()
    if unit == "week":
        return (article_date + timedelta(weeks=amount)).isoformat()[:7]
    if unit == "month":
        months = article_date.year * 12 + article_date.month - 1 + amount
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if unit == "year":
        return f"{article_date.year + amount:04d}"
    return None
