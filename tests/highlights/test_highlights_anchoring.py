"""Anchoring passages and finding them again; sentence and paragraph boundaries.

All on the text of the bundled articles, as loaded by the corpus loader.
"""

from __future__ import annotations

import itertools

import pytest

from reader.corpus.articles import content_hash, load_path
from reader.highlights.anchoring import CONTEXT_CHARS, make_anchor, occurrences, place, reanchored
from reader.highlights.boundaries import (
    paragraph_bounds,
    paragraph_spans,
    sentence_bounds,
    sentence_spans,
)
from reader.support.locations import bundled_corpus

EPOCH = "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
TAIWAN = "2021-09-11-taiwan-news-japan-vietnam-defense-agreement"
USNI = "2014-03-19-japan-and-vietnam-expand-defense-partnership"


def body_of(stem: str) -> str:
    return load_path(bundled_corpus() / f"{stem}.md").body


def anchor_on(body: str, quote: str, occurrence: int = 0):
    start, end = occurrences(body, quote)[occurrence]
    return make_anchor(body, start, end, content_hash(body))


# -- anchors -----------------------------------------------------------------------------------


def test_anchor_keeps_quote_context_and_positions():
    body = body_of(EPOCH)
    anchor = anchor_on(body, "Nov. 23 meeting")
    assert body[anchor.start : anchor.end] == "Nov. 23 meeting"
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_CHARS
    assert body[: anchor.start].endswith(anchor.prefix)
    assert body[anchor.end :].startswith(anchor.suffix)
    assert anchor.content_hash == content_hash(body)


def test_anchor_at_the_start_has_a_short_prefix():
    body = body_of(EPOCH)
    anchor = make_anchor(body, 0, 16, content_hash(body))
    assert anchor.quote == "By Aldgra Fredly" and anchor.prefix == ""


def test_bad_range_is_refused():
    with pytest.raises(ValueError):
        make_anchor("abc", 2, 2, "")


def test_unchanged_article_is_anchored_at_its_positions():
    body = body_of(EPOCH)
    anchor = anchor_on(body, "strong sense of urgency")
    assert place(anchor, body, content_hash(body)).status == "anchored"


def test_text_inserted_before_moves_the_highlight():
    body = body_of(EPOCH)
    anchor = anchor_on(body, "strong sense of urgency")
    edited = "Editor's note: this article was updated.\n\n" + body
    placement = place(anchor, edited, content_hash(edited))
    assert placement.status == "reanchored"
    assert edited[placement.start : placement.end] == "strong sense of urgency"
    assert placement.start == anchor.start + len("Editor's note: this article was updated.\n\n")


def test_rewrapped_quote_is_found_despite_white_space():
    body = body_of(TAIWAN)
    quote = "increased port calls by the Japan Self-Defense Forces in Vietnam"
    anchor = anchor_on(body, quote)
    edited = body.replace("port calls by the Japan", "port calls by\nthe  Japan")
    placement = place(anchor, edited, content_hash(edited))
    assert placement.status == "reanchored"
    assert " ".join(edited[placement.start : placement.end].split()) == quote


def test_straight_and_typographic_quotes_match():
    body = body_of(EPOCH)
    found = occurrences(body, "Japan's Prime Minister Fumio Kishida")
    assert [body[s:e] for s, e in found] == ["Japan’s Prime Minister Fumio Kishida"]


def test_repeated_quote_is_disambiguated_by_its_context():
    body = body_of(EPOCH)
    spots = occurrences(body, "Phan Van Giang")
    assert len(spots) == 2
    second = anchor_on(body, "Phan Van Giang", occurrence=1)
    # An edit that moves both occurrences, and puts new text near the old position.
    edited = body.replace("By Aldgra Fredly", "By Aldgra Fredly and Phan Van Giang's office", 1)
    placement = place(second, edited, content_hash(edited))
    assert placement.status == "reanchored"
    assert edited[: placement.start].endswith("He said talks with ")
    assert len(occurrences(edited, "Phan Van Giang")) == 3


def test_nearest_occurrence_wins_when_contexts_tie():
    body = "alpha beta. " * 3 + "gamma"
    anchor = make_anchor(body, 12, 22, "old")  # the second "alpha beta"
    edited = "x" + body
    placement = place(anchor, edited, "new")
    assert (placement.start, placement.end) == (13, 23)


def test_deleted_passage_is_orphaned_not_lost():
    body = body_of(EPOCH)
    anchor = anchor_on(body, "The Associated Press contributed to this article.")
    edited = body.replace("The Associated Press contributed to this article.", "")
    placement = place(anchor, edited, content_hash(edited))
    assert placement.status == "orphaned" and placement.start is None
    kept, _ = reanchored(anchor, edited, content_hash(edited))
    assert kept == anchor


def test_reanchored_anchor_is_refreshed():
    body = body_of(USNI)
    anchor = anchor_on(body, "Senkaku Island chain")
    edited = body.replace("Leaders from Japan", "Top leaders from Japan")
    fresh, placement = reanchored(anchor, edited, content_hash(edited))
    assert placement.status == "reanchored"
    assert fresh.start == anchor.start + 4 and fresh.content_hash == content_hash(edited)
    assert place(fresh, edited, content_hash(edited)).status == "anchored"


# -- boundaries --------------------------------------------------------------------------------


def test_sept_abbreviation_does_not_end_the_sentence():
    body = body_of(TAIWAN)
    at = body.index("Sept. 11")
    start, end = sentence_bounds(body, at)
    assert body[start:end].startswith("TAIPEI (Taiwan News)")
    assert body[start:end].endswith("to the Southeast Asian nation.")


def test_nov_abbreviation_does_not_end_the_sentence():
    body = body_of(EPOCH)
    start, end = sentence_bounds(body, body.index("23 meeting"))
    assert body[start:end] == (
        "Defense Minister Nobuo Kishi and his Vietnamese counterpart Phan Van Giang discussed "
        "regional security in the regional waters in a Nov. 23 meeting, confirming the "
        "countries’ cooperation in maintaining the existing international order."
    )


def test_us_initialism_does_not_end_the_sentence():
    body = body_of(EPOCH)
    start, end = sentence_bounds(body, body.index("U.S."))
    sentence = body[start:end]
    assert sentence.startswith("Japan is also looking to expand military cooperation")
    assert sentence.endswith("the Philippines, and Indonesia.")
    taiwan = body_of(TAIWAN)
    start, end = sentence_bounds(taiwan, taiwan.index("U.K."))
    assert taiwan[start:end].endswith("according to Al Jazeera.")


def test_initialism_ends_a_sentence_before_a_sentence_opener():
    text = "He flew to the U.S. The talks began. Mr. Abe spoke on Sept. 11 in Hanoi."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "He flew to the U.S.",
        "The talks began.",
        "Mr. Abe spoke on Sept. 11 in Hanoi.",
    ]


def test_sentence_ends_after_a_closing_quote():
    body = body_of(USNI)
    start, end = sentence_bounds(body, body.index("peace and stability at sea"))
    assert body[start:end].startswith("“The two sides affirmed")
    assert body[start:end].endswith("in a joint Tuesday statement.")


def test_every_sentence_of_the_corpus_is_a_clean_slice():
    for path in sorted(bundled_corpus().glob("*.md")):
        body = load_path(path).body
        spans = sentence_spans(body)
        assert spans, path.name
        for (_, e1), (s2, _) in itertools.pairwise(spans):
            assert e1 <= s2
        for s, e in spans:
            assert body[s:e] == body[s:e].strip()
            assert "\n\n" not in body[s:e]


def test_blank_lines_separate_paragraphs():
    body = body_of(EPOCH)
    at = body.index("cyberspace agreement")
    start, end = paragraph_bounds(body, at)
    assert body[start:end].startswith("Kishi told reporters")
    assert body[start:end].endswith("without identifying any country by name.")
    assert paragraph_bounds(body, body.index("\n\n") + 1) is None


def test_one_paragraph_a_line_is_recognised():
    body = body_of(TAIWAN)
    start, end = paragraph_bounds(body, body.index("11th such agreement"))
    assert body[start:end].startswith("For Japan, the Vietnam deal is its 11th such agreement.")
    assert body[start:end].endswith("according to Al Jazeera.")
    assert "\n" not in body[start:end]
    assert len(paragraph_spans(body)) == 11


def test_a_line_break_inside_a_paragraph_of_the_usni_article():
    body = body_of(USNI)
    # "…joint Tuesday statement.\nThe agreement builds upon…": two paragraphs.
    first = paragraph_bounds(body, body.index("joint Tuesday statement"))
    second = paragraph_bounds(body, body.index("builds upon"))
    assert first != second
    assert body[second[0] :].startswith("The agreement builds upon")


def test_hard_wrapped_text_is_one_paragraph():
    text = (
        "Japan and Vietnam signed an agreement on\n"
        "Saturday that allows the export of\n"
        "defense equipment. It follows talks in\n"
        "Hanoi.\n\nNext paragraph."
    )
    start, end = paragraph_bounds(text, text.index("export"))
    assert text[start:end] == text.split("\n\n")[0]
    assert sentence_bounds(text, text.index("follows")) == (
        text.index("It follows"),
        text.index("Hanoi.") + len("Hanoi."),
    )


def test_offsets_at_the_edges():
    body = body_of(EPOCH)
    assert sentence_bounds(body, 0) == (0, len("By Aldgra Fredly"))
    last = sentence_bounds(body, len(body) - 2)
    assert body[last[0] : last[1]] == "The Associated Press contributed to this article."
    assert paragraph_bounds("", 0) is None
