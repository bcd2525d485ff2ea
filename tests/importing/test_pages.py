"""Saved pages become clean Markdown articles, each written once."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from reader.corpus.articles import iter_articles, load_path
from reader.importing.extract import ExtractError, extract
from reader.importing.pipeline import Importer
from reader.importing.store import canonical_url, fingerprint, slug

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"
REPO = Path(__file__).resolve().parents[2]
#: ../shared beside the repository (a worktree sits one level deeper: ../../shared).
SHARED_PAGES = next(
    (
        folder / "corpora" / "web-pages"
        for folder in (REPO.parent / "shared", REPO.parent.parent / "shared")
        if (folder / "corpora" / "web-pages").is_dir()
    ),
    REPO.parent / "shared" / "corpora" / "web-pages",
)


def test_a_saved_page_gives_the_article_without_page_furniture():
    page = extract((FIXTURES / "harbour.html").read_bytes())
    assert page.title == "Harbour Council Approves New Sea Wall After Winter Storms"
    assert page.author == "Maria Lindqvist"
    assert str(page.date) == "2024-03-18"
    assert page.source == "The Coastal Ledger"
    assert page.url == "https://ledger.example.org/news/2024/03/harbour-sea-wall"
    body = page.body
    assert body.startswith("The harbour council voted on Monday evening")
    assert "\n## Cost and timetable\n" in body
    assert "\n- Phase one: the eastern quay and the fish market.\n" in body
    assert "\n> We cannot ask the fishermen" in body
    assert body.rstrip().endswith("until the end of the month.")
    for furniture in (
        "Subscribe to the Ledger",  # navigation
        "Advertisement",
        "Share on Facebook",
        "Reader comment",
        "Most read",
        "Copyright 2024",
        "do not run me",  # script text
    ):
        assert furniture not in body, furniture
    # The title is in the front matter, not repeated as the body's first heading.
    assert not body.startswith("#")


def test_the_sites_name_is_not_part_of_the_title():
    paragraphs = (FIXTURES / "orchard.html").read_text().split('<div id="content">')[1]
    paragraphs = paragraphs.split("</div>")[0].replace(
        "<h1>Old Orchards Return to the Valley</h1>", ""
    )
    html = (
        "<html><head><title>Old Orchards – Valley Notes</title>"
        '<meta property="og:title" content="Old Orchards – Valley Notes">'
        '<meta property="og:site_name" content="Valley Notes"></head>'
        f"<body><article>{paragraphs}</article></body></html>"
    )
    page = extract(html)
    assert (page.title, page.source) == ("Old Orchards", "Valley Notes")


def test_a_page_without_an_article_is_refused_with_a_reason():
    with pytest.raises(ExtractError, match="no article"):
        extract(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(ExtractError, match="empty"):
        extract(b"   ")


def test_a_folder_of_saved_pages_becomes_articles_with_front_matter(tmp_path):
    pages = tmp_path / "saved" / "deeper"
    pages.mkdir(parents=True)
    shutil.copy(FIXTURES / "harbour.html", pages / "harbour.html")
    shutil.copy(FIXTURES / "orchard.html", tmp_path / "saved" / "orchard.htm")
    corpus = tmp_path / "articles"

    results = Importer(corpus, tags=["coast"]).run([str(tmp_path / "saved")])

    assert sorted(r.status for r in results) == ["added", "added"]
    names = sorted(p.name for p in corpus.iterdir())
    assert names == [
        "2023-10-02-old-orchards-return-to-the-valley.md",
        "2024-03-18-harbour-council-approves-new-sea-wall-after-winter-storms.md",
    ]
    article = load_path(corpus / names[1], corpus)
    assert article.title == "Harbour Council Approves New Sea Wall After Winter Storms"
    assert article.source == "The Coastal Ledger"
    assert article.author == "Maria Lindqvist"
    assert str(article.date) == "2024-03-18"
    assert article.url == "https://ledger.example.org/news/2024/03/harbour-sea-wall"
    assert article.meta["tags"] == "coast"
    assert article.meta["retrieved"].startswith("20")
    assert "Cost and timetable" in article.body
    harbour = next(r for r in results if "harbour" in r.source)
    assert harbour.id == names[1].removesuffix(".md")
    assert harbour.path == str(corpus / names[1])


def test_importing_again_writes_nothing_twice_and_a_changed_page_is_updated(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(FIXTURES / "harbour.html", saved / "harbour.html")
    corpus = tmp_path / "articles"
    (first,) = Importer(corpus).run([str(saved)])
    assert first.status == "added"

    # The same page saved again under another name: the same article.
    shutil.copy(FIXTURES / "harbour.html", saved / "harbour copy.html")
    again = Importer(corpus).run([str(saved)])
    assert [r.status for r in again] == ["duplicate", "duplicate"]
    assert {r.path for r in again} == {first.path}
    assert len(list(corpus.iterdir())) == 1

    # The page changed (same canonical link): the file is updated in place.
    changed = (FIXTURES / "harbour.html").read_text().replace("14 million", "17 million")
    (saved / "harbour copy.html").unlink()
    (saved / "harbour.html").write_text(changed)
    (updated,) = Importer(corpus, tags=["later"]).run([str(saved)])
    assert updated.status == "updated"
    assert updated.path == first.path
    text = Path(first.path).read_text()
    assert "17 million" in text and "14 million" not in text
    assert len(list(corpus.iterdir())) == 1


def test_an_article_the_user_wrote_is_never_replaced_by_an_import(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    mine = corpus / "my-notes.md"
    mine.write_text(
        "---\ntitle: My notes\nurl: https://ledger.example.org/news/2024/03/harbour-sea-wall\n"
        "---\n\nWhat I think of the sea wall.\n"
    )
    before = mine.read_text()
    (result,) = Importer(corpus).run([str(FIXTURES / "harbour.html")])
    assert result.status == "duplicate" and result.path == str(mine.resolve())
    assert mine.read_text() == before


def test_the_same_text_under_another_link_is_a_duplicate(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(FIXTURES / "orchard.html", saved / "a.html")
    mirrored = (FIXTURES / "orchard.html").read_text()
    mirrored = mirrored.replace("valley.example.net", "mirror.example.com")
    (saved / "b.html").write_text(mirrored)
    results = Importer(tmp_path / "articles").run([str(saved)])
    assert sorted(r.status for r in results) == ["added", "duplicate"]


def test_hostile_titles_never_leave_the_corpus_folder(tmp_path):
    page = (FIXTURES / "orchard.html").read_text()
    page = page.replace("Old Orchards Return to the Valley", "../../../etc/passwd\x1b[31m")
    (tmp_path / "evil.html").write_text(page)
    corpus = tmp_path / "articles"
    (result,) = Importer(corpus).run([str(tmp_path / "evil.html")])
    assert result.status == "added"
    (written,) = corpus.iterdir()
    assert written.parent == corpus
    assert written.name == "2023-10-02-etc-passwd-31m.md"
    assert "\x1b" not in written.read_text()


def test_bad_sources_fail_with_a_reason_and_the_rest_continue(tmp_path):
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01\x02 not a page")
    shutil.copy(FIXTURES / "orchard.html", tmp_path / "orchard.html")
    names = ["missing.html", "notes.bin", "orchard.html"]
    results = Importer(tmp_path / "articles").run([str(tmp_path / n) for n in names])
    assert [Path(r.source).name for r in results] == names  # in the order given
    statuses = {Path(r.source).name: (r.status, r.reason) for r in results}
    assert statuses["missing.html"][0] == "failed"
    assert "no such file" in statuses["missing.html"][1]
    assert statuses["notes.bin"][0] == "failed"
    assert statuses["orchard.html"] == ("added", None)


def test_canonical_urls_and_fingerprints():
    assert canonical_url("HTTPS://WWW.Example.org:443/a/b/?utm_source=x&id=3#top") == (
        canonical_url("http://example.org/a/b?id=3")
    )
    assert canonical_url("https://example.org/a?id=3") != canonical_url(
        "https://example.org/a?id=4"
    )
    assert canonical_url("javascript:alert(1)") is None
    same = fingerprint("the same words same ORDER")
    assert fingerprint("The *same* words,\n\nsame order.") == same
    assert slug("Ünïcode: “quoted” & / slashes") == "unicode-quoted-slashes"
    assert slug("") == "article"


def test_many_saved_pages_are_extracted_in_worker_processes(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    template = (FIXTURES / "orchard.html").read_text()
    for n in range(30):  # enough to start the process pool
        page = template.replace("Old Orchards", f"Orchard number {n} and Old Orchards")
        page = page.replace("two thousand", f"{n} thousand").replace("old-orchards", f"o{n}")
        (saved / f"p{n}.html").write_text(page)
    results = Importer(tmp_path / "articles", processes=2).run([str(saved)])
    assert [r.status for r in results] == ["added"] * 30
    assert len(list(iter_articles(tmp_path / "articles"))) == 30


@pytest.mark.skipif(not SHARED_PAGES.is_dir(), reason="../shared/corpora/web-pages is absent")
def test_real_saved_pages_keep_the_article_and_drop_the_rest():
    """A sample of the shared real pages: the article's sentences kept, furniture dropped."""
    expectations = json.loads((SHARED_PAGES / "expectations.json").read_text())
    kept = wanted = dropped = unwanted = 0
    for name, expected in list(expectations.items())[::4]:  # 50 of the 200
        html = gzip.decompress((SHARED_PAGES / "pages" / f"{name}.gz").read_bytes())
        try:
            text = " ".join(extract(html, url=expected["url"]).body.split())
        except ExtractError:
            text = ""
        kept += sum(" ".join(s.split()) in text for s in expected["with"])
        wanted += len(expected["with"])
        dropped += sum(" ".join(s.split()) not in text for s in expected["without"])
        unwanted += len(expected["without"])
    assert kept / wanted >= 0.92
    assert dropped / unwanted >= 0.88


def test_pages_are_still_imported_when_worker_processes_cannot_run(tmp_path, monkeypatch):
    import concurrent.futures

    from reader.importing import pipeline

    class BrokenPool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, *args):
            future = concurrent.futures.Future()
            future.set_exception(concurrent.futures.process.BrokenProcessPool("no workers"))
            return future

    monkeypatch.setattr(pipeline.futures, "ProcessPoolExecutor", BrokenPool)
    monkeypatch.setattr(pipeline, "PROCESS_POOL_FROM", 2)
    for name in ("harbour.html", "orchard.html"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    results = Importer(tmp_path / "articles", processes=2).run([str(tmp_path)])
    assert [r.status for r in results] == ["added", "added"]
