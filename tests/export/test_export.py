"""Exports: round trips, golden Markdown, W3C validity, CSV safety, scopes, safe writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from reader import export as ex
from reader.corpus.articles import content_hash, load_path
from reader.export import (
    ArticleInfo,
    DestinationExists,
    ExcerptSet,
    Scope,
    article_excerpts,
    collect,
    export_to_path,
    highlights_from_excerpts,
    read_excerpts,
    render,
)
from reader.export.csv_format import safe_cell
from reader.export.markdown import blockquote, escape
from reader.highlights.anchoring import Anchor
from reader.highlights.model import Highlight, corpus_key, locate_quote
from reader.highlights.store import HighlightStore
from reader.index.analysis import analyze_token
from reader.index.corpus_index import CorpusIndex
from reader.search.snippets import Terms

GOLDEN = Path(__file__).parents[1] / "golden"
VALIDATOR = Path(__file__).resolve().parents[3] / "shared/w3c-annotation/validate.py"
EPOCH = "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
TAIWAN = "2021-09-11-taiwan-news-japan-vietnam-defense-agreement"
USNI = "2014-03-19-japan-and-vietnam-expand-defense-partnership"
WHEN = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def indexed(corpus: Path) -> CorpusIndex:
    index = CorpusIndex(corpus)
    index.open()
    index.update()
    return index


def highlight(index: CorpusIndex, store: HighlightStore, article_id: str, quote: str, **kw):
    stored = index.stored(article_id)
    start, end, _ = locate_quote(stored["body"], quote)
    body, content_hash = stored["body"], stored["content_hash"]
    kw.setdefault("corpus", corpus_key(index.corpus_dir))
    return store.add_span(article_id, body, content_hash, start, end, **kw)


@pytest.fixture
def store(indexed: CorpusIndex) -> HighlightStore:
    store = HighlightStore()
    highlight(
        indexed, store, EPOCH, "strong sense of urgency", note="Why?\nSee Kyodo.", tags=["cyber"]
    )
    highlight(
        indexed,
        store,
        EPOCH,
        "Both ministers reconfirmed the importance of countries complying with international law, "
        "while respecting freedom of navigation and overflight, according to the Japanese Defense "
        "Ministry.\n\nThe countries signed two agreements on cybersecurity and military medicine",
    )
    highlight(indexed, store, TAIWAN, "Saturday (Sept. 11)", tags=["dates", "=cmd"])
    return store


# -- JSON and YAML round trips -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_gives_back_the_same_highlights(indexed, store, fmt):
    text = render(collect(indexed, store, Scope()), fmt)
    if fmt == "yaml":
        assert yaml.safe_load(text)["format"] == "reader-excerpts"
    back = read_excerpts(text)
    assert sorted(highlights_from_excerpts(back), key=lambda h: h.id) == sorted(
        store.all(), key=lambda h: h.id
    )
    # And into an empty store: the same highlights again.
    other = HighlightStore(Path(os.environ["READER_HOME"]) / "other.json")
    assert other.import_highlights(highlights_from_excerpts(back)) == 3
    assert sorted(other.all(), key=lambda h: h.id) == sorted(store.all(), key=lambda h: h.id)


def test_json_carries_metadata_entities_and_offsets(indexed, store):
    data = json.loads(render(collect(indexed, store, Scope(article_ids=(EPOCH,))), "json"))
    (article,) = data["articles"]
    assert article["title"].startswith("Japan, Vietnam Oppose Bids")
    assert (article["source"], article["author"], article["date"]) == (
        "The Epoch Times",
        "Aldgra Fredly",
        "2021-11-24",
    )
    body = indexed.stored(EPOCH)["body"]
    for excerpt in article["excerpts"]:
        assert body[excerpt["start"] : excerpt["end"]] == excerpt["quote"]
        assert body[: excerpt["start"]].endswith(excerpt["prefix"])
        assert excerpt["created"].endswith("Z") and excerpt["status"] == "anchored"
    two = article["excerpts"][0]
    assert "\n\n" in two["quote"]  # the multi-paragraph one, in reading order
    names = {(e["type"], e["name"]) for e in two["entities"]}
    assert ("place", "Japan") in names or ("person", "Japan") not in names
    for entity in two["entities"]:
        assert body[entity["start"] : entity["end"]] == entity["text"]


def test_reading_a_foreign_document_is_a_clear_error():
    with pytest.raises(ex.ExportError, match="not a reader excerpts export"):
        read_excerpts('{"hello": 1}')
    with pytest.raises(ex.ExportError, match="version"):
        read_excerpts(json.dumps({"format": "reader-excerpts", "version": 99}))


# -- Markdown ----------------------------------------------------------------------------------


def golden_excerpts(corpus: Path) -> ExcerptSet:
    """Hand-built entities and hits on real article text: independent of the recognizer."""
    groups = []
    epoch = load_path(corpus / f"{EPOCH}.md")
    info = ArticleInfo(
        id=EPOCH,
        title=epoch.title or "",
        source=epoch.source or "",
        author=epoch.author or "",
        date=epoch.date,
        path=str(epoch.path),
        content_hash=epoch.content_hash,
    )

    def make(body: str, quote: str, n: int, hid: str, **kw) -> Highlight:
        start, end, _ = locate_quote(body, quote)
        from reader.highlights.anchoring import make_anchor

        anchor = make_anchor(body, start, end, content_hash(body))
        return Highlight(id=hid * 32, article_id=EPOCH, anchor=anchor, created=WHEN, **kw)

    body = epoch.body
    highlights = [
        make(
            body,
            "Both ministers reconfirmed the importance of countries complying with international "
            "law, while respecting freedom of navigation and overflight, according to the "
            "Japanese Defense Ministry.\n\nThe countries signed two agreements on cybersecurity",
            0,
            "a",
            note="Two agreements: *cyber* and [medicine](x).\n# not a heading\n- not a list",
            tags=["cyber", "law_of_the_sea"],
        ),
        make(body, "Kishi told reporters", 0, "b"),
        Highlight(
            id="c" * 32,
            article_id=EPOCH,
            anchor=Anchor(
                "This sentence was cut by the editor.", "before ", " after", 10, 46, "sha256:old"
            ),
            note="Gone <b>now</b> | =1+1",
            created=WHEN,
        ),
    ]
    entities = [
        {"type": "person", "name": "Nobuo Kishi", "mentions": [_mention(body, "Kishi told")]},
        {"type": "place", "name": "Japan", "mentions": [_mention(body, "Japanese Defense")]},
    ]
    entities[0]["mentions"][0]["end"] = entities[0]["mentions"][0]["start"] + len("Kishi")
    entities[1]["mentions"][0]["end"] = entities[1]["mentions"][0]["start"] + len("Japanese")
    terms = Terms(prose=frozenset({analyze_token("cybersecurity"), analyze_token("told")}))
    groups.append(article_excerpts(info, body, highlights, entities, terms))

    taiwan = load_path(corpus / f"{TAIWAN}.md")
    tinfo = ArticleInfo(
        id=TAIWAN,
        title="TAIPEI (Taiwan News) — Japan and Vietnam signed a defense agreement on Saturday…",
        source="Taiwan News",
        date=taiwan.date,
        url="https://www.taiwannews.com.tw/en/news/4288000",
        content_hash=taiwan.content_hash,
    )
    quote = (
        "Both Vietnam and Japan have maritime territorial disputes with China in the South and "
        "East China seas, respectively.\nDuring the signing, Kishi voiced his opposition"
    )
    start, end, _ = locate_quote(taiwan.body, quote)
    from reader.highlights.anchoring import make_anchor

    th = Highlight(
        id="d" * 32,
        article_id=TAIWAN,
        anchor=make_anchor(taiwan.body, start, end, taiwan.content_hash),
        tags=["status-quo"],
        created=WHEN,
    )
    groups.append(article_excerpts(tinfo, taiwan.body, [th], [], terms))
    return ExcerptSet(tuple(groups), Scope(query="cybersecurity told"), WHEN)


def _mention(body: str, text: str) -> dict:
    start = body.index(text)
    return {"start": start, "end": start + len(text), "text": text}


def test_markdown_matches_the_golden_file(corpus):
    text = render(golden_excerpts(corpus), "markdown", path_base=corpus)
    golden = GOLDEN / "highlights.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_structure_survives_a_markdown_parser(corpus):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(
        render(golden_excerpts(corpus), "markdown", path_base=corpus)
    )
    # Headings: the document, two articles; nothing from notes or quotes.
    assert html.count("<h1>") == 1 and html.count("<h2>") == 2
    assert "<ul>" not in html and "<a href" not in html.replace(
        '<a href="https://www.taiwannews.com.tw/en/news/4288000">', ""
    )
    assert "&lt;b&gt;now&lt;/b&gt;" in html  # a note cannot inject HTML
    # The multi-paragraph quote stays one blockquote with two paragraphs.
    first_quote = html.split("<blockquote>")[1].split("</blockquote>")[0]
    assert first_quote.count("<p>") == 2
    assert "<em>cybersecurity</em>" in first_quote
    assert "<strong>Japanese</strong>" in first_quote
    assert "<strong>Kishi</strong> <em>told</em>" in html


def test_quotes_that_look_like_markdown_cannot_break_the_document():
    nasty = "1. item\n- dash\n    code?\n# hash\n> quote\n***\n[x](javascript:y) `tick` <i>"
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(blockquote(nasty, 0))
    inner = html.removeprefix("<blockquote>\n").removesuffix("</blockquote>\n")
    assert inner.startswith("<p>") and inner.count("<p>") == 1
    for tag in ("<ol", "<ul", "<pre", "<h1", "<hr", "<a ", "<code", "<i>", "<blockquote"):
        assert tag not in inner
    assert escape("a*b_c") == "a\\*b\\_c"


def test_entity_and_hit_emphasis_nest():
    md = blockquote("Nobuo Kishi said", 100, entities=[(100, 111)], hits=[(106, 111)])
    assert md == "> **Nobuo *Kishi*** said"


# -- W3C Web Annotation ------------------------------------------------------------------------


def _validator_python() -> str | None:
    """An interpreter with jsonschema for the shared validator, or None."""
    if not VALIDATOR.is_file():
        return None
    for name in ("python3", "python"):
        exe = shutil.which(name)
        if not exe:
            continue
        probe = subprocess.run([exe, "-c", "import jsonschema, referencing"], capture_output=True)
        if probe.returncode == 0:
            return exe
    return None


def validate(path: Path, source_text: Path | None = None) -> subprocess.CompletedProcess:
    exe = _validator_python()
    if exe is None:
        pytest.skip("the shared W3C annotation validator (or jsonschema) is not available")
    argv = [exe, str(VALIDATOR), str(path), "--quiet"]
    if source_text is not None:
        argv += ["--source-text", str(source_text)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def test_w3c_export_passes_the_shared_validator(indexed, store, tmp_path):
    made = highlight(indexed, store, USNI, "Senkaku Island chain", note="commented")
    orphan = Highlight(
        id="e" * 32,
        article_id=USNI,
        anchor=Anchor("no longer here", "", "", 5, 19, "sha256:old"),
        created=WHEN,
    )
    store.restore(orphan)
    store.update(made.id, tags=["islands"])
    path = tmp_path / "all.jsonld"
    export_to_path(collect(indexed, store, Scope()), path, "w3c")
    result = validate(path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("=== annotation") == 5

    page = json.loads(path.read_text("utf-8"))
    items = {item["id"]: item for item in page["items"]}
    commented = items[uuid.UUID(made.id).urn]
    assert commented["motivation"] == "commenting"
    assert commented["body"][0] == {
        "type": "TextualBody",
        "value": "commented",
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert commented["created"].endswith("Z") and commented["modified"].endswith("Z")
    types = [s["type"] for s in commented["target"]["selector"]]
    assert types == ["TextQuoteSelector", "TextPositionSelector"]
    lone = items["urn:uuid:" + "eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee"]
    assert [s["type"] for s in lone["target"]["selector"]] == ["TextQuoteSelector"]
    assert lone["motivation"] == "highlighting"

    # One article with its body: the selectors point at the right text.
    single = tmp_path / "usni.jsonld"
    export_to_path(collect(indexed, store, Scope(article_ids=(EPOCH,))), single, "w3c")
    body = tmp_path / "body.txt"
    body.write_text(indexed.stored(EPOCH)["body"], encoding="utf-8")
    result = validate(single, body)
    assert result.returncode == 0, result.stdout


def test_w3c_hit_passages_pass_the_validator(indexed, tmp_path):
    path = tmp_path / "hits.jsonld"
    export_to_path(collect(indexed, None, Scope(query="Senkaku", hits=True)), path, "w3c")
    result = validate(path)
    assert result.returncode == 0, result.stdout


# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "  =1", "＝1"],
)
def test_csv_cells_cannot_be_formulas(value):
    assert safe_cell(value) == "'" + value


def test_csv_export_neutralises_formulas_in_every_cell(indexed, store):
    made = highlight(indexed, store, EPOCH, "Tokyo", note='=HYPERLINK("http://evil","x")')
    store.update(made.id, tags=["@SUM(1)", "-1"])
    text = render(collect(indexed, store, Scope()), "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "article_id" and len(rows) == 5
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    (row,) = [r for r in rows if r[8] == made.id]
    assert row[11] == '\'=HYPERLINK("http://evil","x")'
    assert row[12] == "'@SUM(1); -1"
    (tagged,) = [r for r in rows if "Sept. 11" in r[10]]
    assert tagged[12] == "dates; =cmd"  # not at the start of the cell: harmless


# -- scopes ------------------------------------------------------------------------------------


def test_query_scope_takes_highlights_of_matching_articles_and_marks_hits(indexed, store):
    excerpts = collect(indexed, store, Scope(query="cybersecurity"))
    assert {g.article.id for g in excerpts.groups} == {EPOCH, TAIWAN}
    body = indexed.stored(EPOCH)["body"]
    marked = [body[s:e] for _, x in excerpts.excerpts() for s, e in x.hits]
    assert marked == ["cybersecurity"]
    none = collect(indexed, store, Scope(query="Senkaku"))
    assert len(none) == 0  # the USNI and Kyodo articles match, but have no highlights


def test_article_and_query_narrow_together(indexed, store):
    excerpts = collect(indexed, store, Scope(article_ids=(TAIWAN,), query="cybersecurity"))
    assert [g.article.id for g in excerpts.groups] == [TAIWAN]


def test_hits_scope_exports_keyword_in_context_passages(indexed):
    excerpts = collect(indexed, None, Scope(query="Senkaku", hits=True), passages_per_article=2)
    assert len(excerpts) >= 2
    for article, x in excerpts.excerpts():
        body = indexed.stored(article.id)["body"]
        assert x.kind == "hit" and x.highlight_id is None
        assert body[x.start : x.end] == x.quote
        assert x.hits and all(body[s:e] == "Senkaku" for s, e in x.hits)
    md = render(excerpts, "markdown")
    assert md.startswith("# Passages matching Senkaku") and "*Senkaku*" in md


def test_hit_passages_are_whole_sentences_and_cover_every_hit(indexed):
    from reader.highlights.boundaries import sentence_spans
    from reader.search.snippets import match_spans

    excerpts = collect(indexed, None, Scope(query="Vietnam", hits=True))
    assert len(excerpts.groups) >= 3
    for group in excerpts.groups:
        body = indexed.stored(group.article.id)["body"]
        sentences = set(sentence_spans(body))
        exported = [(s, e) for x in group.excerpts for s, e in x.hits]
        assert exported == match_spans(body, excerpts_terms(indexed, "Vietnam"))  # none left out
        for x in group.excerpts:  # one sentence each, or a window of an endless one
            inside = any(a <= x.start and x.end <= b for a, b in sentences)
            assert inside or len(x.quote) <= ex.model.MAX_PASSAGE


def excerpts_terms(indexed, query):
    from reader.search.engine import search

    with indexed.searcher() as searcher:
        return search(searcher, query, limit=1).terms


def test_hit_passages_limit_keeps_those_with_most_hits_in_reading_order():
    from reader.export.model import hit_passages
    from reader.search.snippets import Terms

    body = (
        "Hanoi hosted the talks. Tokyo and Hanoi then signed, Hanoi said. "
        "Nothing here. Hanoi, Hanoi and Hanoi again.\n\nThe end."
    )
    terms = Terms(prose=frozenset(), names=frozenset({"hanoi"}))
    every = hit_passages(body, terms)
    assert [body[s:e] for s, e in every] == [
        "Hanoi hosted the talks.",
        "Tokyo and Hanoi then signed, Hanoi said.",
        "Hanoi, Hanoi and Hanoi again.",
    ]
    two = hit_passages(body, terms, limit=2)
    assert [body[s:e] for s, e in two] == [
        "Tokyo and Hanoi then signed, Hanoi said.",
        "Hanoi, Hanoi and Hanoi again.",
    ]


def test_a_hit_in_an_endless_sentence_gets_a_window_cut_at_words():
    from reader.export.model import MAX_PASSAGE, hit_passages
    from reader.search.snippets import Terms

    body = " ".join(["word"] * 2000 + ["Hanoi"] + ["word"] * 2000)
    terms = Terms(prose=frozenset(), names=frozenset({"hanoi"}))
    [(s, e)] = hit_passages(body, terms)
    assert "Hanoi" in body[s:e] and e - s <= MAX_PASSAGE
    assert body[s:e].startswith("word") and body[s:e].endswith("word")


class _CountedMention(dict):
    """A stored mention that counts how often it is read."""

    reads = 0

    def get(self, key, default=None):
        _CountedMention.reads += 1
        return super().get(key, default)


def test_passages_export_is_linear_in_passages_and_mentions(monkeypatch):
    """Each passage found its entity mentions by scanning every mention of the article,
    and each hit split its whole paragraph into sentences: quadratic in a long article."""
    from reader.export import model
    from reader.highlights import boundaries
    from reader.search.snippets import Terms

    count = 300
    body = " ".join(f"Hanoi met Kishi number {n} today." for n in range(count)) + "\n"
    terms = Terms(prose=frozenset(), names=frozenset({"hanoi"}))
    splits = []
    real_split = boundaries.sentence_spans_in
    monkeypatch.setattr(
        boundaries,
        "sentence_spans_in",
        lambda *a, **k: splits.append(1) or real_split(*a, **k),
    )
    passages = model.hit_passages(body, terms)
    assert len(passages) == count
    assert len(splits) <= 2  # one paragraph: split once

    starts = [i for i in range(len(body)) if body.startswith("Kishi", i)]
    mentions = [_CountedMention(start=s, end=s + 5, text="Kishi") for s in starts]
    entities = [{"type": "person", "name": "Nobuo Kishi", "mentions": mentions}]
    _CountedMention.reads = 0
    info = ArticleInfo(id="long", title="Long")
    group = model.hit_excerpts(info, body, passages, entities, terms)
    assert [len(x.entities) for x in group.excerpts] == [1] * count
    assert group.excerpts[7].entities[0].start == starts[7]
    # Every mention read a few times, not once for every passage (count * count).
    assert _CountedMention.reads <= 10 * count


def test_scope_errors(indexed, store):
    with pytest.raises(ex.ExportError, match="need a query"):
        Scope(hits=True)
    with pytest.raises(ex.ExportError, match="no article"):
        collect(indexed, store, Scope(article_ids=("nope",)))
    with pytest.raises(ex.ExportError, match="bad query"):
        collect(indexed, store, Scope(query='"unclosed'))


# -- orphans -----------------------------------------------------------------------------------


def test_orphaned_highlight_is_exported_and_flagged(indexed, store, corpus):
    gone = highlight(indexed, store, EPOCH, "The Associated Press contributed to this article.")
    path = corpus / f"{EPOCH}.md"
    path.write_text(
        path.read_text("utf-8").replace("The Associated Press contributed to this article.", ""),
        "utf-8",
    )
    indexed.update()
    excerpts = collect(indexed, store, Scope(article_ids=(EPOCH,)))
    (orphan,) = [x for _, x in excerpts.excerpts() if x.orphaned]
    assert orphan.highlight_id == gone.id and orphan.quote == gone.quote
    assert [x.status for _, x in excerpts.excerpts()] == ["reanchored", "reanchored", "orphaned"]

    data = json.loads(render(excerpts, "json"))
    assert [x["orphaned"] for x in data["articles"][0]["excerpts"]] == [False, False, True]
    assert "*Orphaned: this passage is no longer" in render(excerpts, "markdown")
    assert '"orphaned"' in render(excerpts, "csv")
    # Still importable: the orphan keeps its old anchor.
    back = {h.id: h for h in highlights_from_excerpts(read_excerpts(render(excerpts, "json")))}
    assert back[gone.id] == gone


def test_article_removed_from_the_corpus_still_exports(indexed, store, corpus):
    (corpus / f"{TAIWAN}.md").unlink()
    indexed.update()
    excerpts = collect(indexed, store, Scope())
    (group,) = [g for g in excerpts.groups if g.article.id == TAIWAN]
    assert not group.article.available and group.excerpts[0].orphaned
    assert "*no longer in the corpus*" in render(excerpts, "markdown")


# -- untrusted text ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_exports_carry_no_terminal_controls(indexed, store, fmt):
    highlight(indexed, store, EPOCH, "Tokyo", note="\x1b]0;owned\x07\x9b31m", tags=["\x1bx"])
    text = render(collect(indexed, store, Scope()), fmt)
    assert not any(ch in text for ch in "\x1b\x07\x9b"), fmt


# -- writing files -----------------------------------------------------------------------------


def test_export_to_path_never_overwrites_unless_asked(indexed, store, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "notes.md"
    target.write_text("my own notes\n", encoding="utf-8")
    excerpts = collect(indexed, store, Scope())
    with pytest.raises(DestinationExists, match="exists"):
        export_to_path(excerpts, target, "markdown", overwrite=False)
    assert target.read_text("utf-8") == "my own notes\n"
    export_to_path(excerpts, target, "markdown", overwrite=True)
    assert target.read_text("utf-8").startswith("# Highlights")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_export_with_force_writes_through_a_link(indexed, store, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    real = notes / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    excerpts = collect(indexed, store, Scope())
    with pytest.raises(DestinationExists):
        export_to_path(excerpts, link, "markdown", overwrite=False)
    export_to_path(excerpts, link, "markdown", overwrite=True)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text("utf-8").startswith("# Highlights")
    assert sorted(p.name for p in notes.iterdir()) == ["real.md"]
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(ex.ExportError, match="leads nowhere"):
        export_to_path(excerpts, loop, "markdown", overwrite=True)


def test_a_cancelled_export_stops_and_writes_nothing(indexed, store, tmp_path):
    from reader.export import ExportCancelled
    from reader.export.model import hit_excerpts, hit_passages
    from reader.search.snippets import Terms

    with pytest.raises(ExportCancelled):
        collect(indexed, store, Scope(query="Vietnam", hits=True), cancelled=lambda: True)
    out = tmp_path / "out"
    out.mkdir()
    excerpts = collect(indexed, store, Scope(query="Vietnam", hits=True))
    assert len(excerpts)
    with pytest.raises(ExportCancelled):
        export_to_path(excerpts, out / "passages.md", "markdown", cancelled=lambda: True)
    assert list(out.iterdir()) == []
    # A long article stops within a few hundred passages of being cancelled.
    body = "Hanoi said so. " * 5000
    terms = Terms(prose=frozenset(), names=frozenset({"hanoi"}))
    asked: list[int] = []

    def cancel_on_second_look() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(ExportCancelled):
        hit_passages(body, terms, cancelled=cancel_on_second_look)
    passages = hit_passages(body, terms)
    asked.clear()
    with pytest.raises(ExportCancelled):
        hit_excerpts(
            ArticleInfo(id="x", title="x"), body, passages, cancelled=cancel_on_second_look
        )
    assert len(asked) == 2


def test_a_failed_export_leaves_no_file(indexed, store, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "notes.json"

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(ex.os, "fsync", broken_fsync)
        export_to_path(collect(indexed, store, Scope()), target, "json")
    assert list(tmp_path.iterdir()) == []


def test_format_for_path():
    assert ex.format_for_path(Path("a.csv")) == "csv"
    assert ex.format_for_path(Path("a.jsonld")) == "w3c"
    assert ex.format_for_path(Path("a.yml")) == "yaml"
    assert ex.format_for_path(Path("a")) == "markdown"


def test_one_excerpt_for_the_clipboard(corpus):
    from reader.export.markdown import excerpt_markdown

    group = golden_excerpts(corpus).groups[0]
    text = excerpt_markdown(group.article, group.excerpts[1], path_base=corpus)
    assert text == (
        "> **Kishi** *told* reporters\n\n"
        "— **Japan, Vietnam Oppose Bids to Change Status Quo in Regional Waters ‘By Coercion’** · "
        "*The Epoch Times* · Aldgra Fredly · 2021-11-24 · "
        f"{EPOCH}.md\n"
    )


def test_the_core_does_not_import_the_ui():
    code = (
        "import sys\n"
        "sys.modules['textual'] = None\n"
        "sys.modules['rich'] = None\n"
        "import reader.highlights.store, reader.highlights.anchoring\n"
        "import reader.highlights.boundaries, reader.export\n"
        "import reader.export.markdown, reader.export.structured, reader.export.csv_format\n"
        "import reader.export.w3c, reader.export.model\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- agreements of the article (issue #17) ------------------------------------------------------


def test_exports_carry_the_articles_agreement_records(indexed, store):
    scope = Scope(article_ids=(TAIWAN,))
    markdown = render(collect(indexed, store, scope), "markdown")
    citation_at = markdown.index("*Taiwan News*")
    line = markdown[citation_at:].split("\n\n")[1]
    assert line.startswith("**Agreements:** defense agreement (agreement; signed; 2021-09-11")
    assert "parties: Japan, Vietnam" in line
    data = json.loads(render(collect(indexed, store, scope), "json"))
    (agreement,) = data["articles"][0]["agreements"]
    assert agreement == {
        "name": "defense agreement",
        "kind": "agreement",
        "status": "signed",
        "date": "2021-09-11",
        "parties": ["Japan", "Vietnam"],
        "signatories": ["Phan Van Giang", "Nobuo Kishi"],
        "place": None,
    }
    for fmt in ("json", "yaml"):
        back = read_excerpts(render(collect(indexed, store, scope), fmt))
        assert back.groups[0].article.agreements[0].parties == ("Japan", "Vietnam")
