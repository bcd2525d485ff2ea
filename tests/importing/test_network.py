"""URLs, feeds, OPML and urls files, served from a local server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from local_site import serving

from reader.corpus.articles import iter_articles, load_path
from reader.importing import fetch as fetching
from reader.importing.fetch import FetchError, fetch
from reader.importing.pipeline import Importer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"


@pytest.fixture
def site():
    """A local web server for this test (127.0.0.1, stopped at the end)."""
    with serving() as server:
        yield server


def _rss(site, items: list[tuple[str, str, str]], *, content: dict[str, str] | None = None) -> str:
    """An RSS 2.0 feed: (path, title, RFC 822 date) per item, summaries only."""
    content = content or {}
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        f"<pubDate>{date}</pubDate><description>A short summary.</description>"
        + (
            f"<content:encoded><![CDATA[{content[path]}]]></content:encoded>"
            if path in content
            else ""
        )
        + "</item>"
        for path, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Coast Wire</title><link>{site.base}</link>{entries}</channel></rss>"
    )


ITEMS = [
    ("/harbour", "Sea wall approved (feed title)", "Tue, 19 Mar 2024 07:00:00 GMT"),
    ("/orchard", "Orchards are back", "Mon, 02 Oct 2023 10:00:00 GMT"),
]


def test_a_feed_of_summaries_fetches_each_page_and_keeps_the_feeds_title_and_date(site, tmp_path):
    site.page("/harbour", "harbour.html")
    site.page("/orchard", "orchard.html")
    feed = site.add("/feed.xml", _rss(site, ITEMS), type="application/rss+xml")
    corpus = tmp_path / "articles"

    results = Importer(corpus, tags=["wire"]).run([feed])

    assert [r.status for r in results] == ["added", "added"]
    assert site.hits("/harbour") == 1 and site.hits("/orchard") == 1
    harbour = load_path(Path(results[0].path), corpus)
    assert harbour.title == "Sea wall approved (feed title)"  # the item's title wins
    assert str(harbour.date) == "2024-03-19"  # the item's date wins
    assert harbour.source == "Coast Wire"  # the feed's name
    assert harbour.author == "Maria Lindqvist"  # the page fills in what the feed lacks
    assert harbour.url == site.url("/harbour")
    assert harbour.meta["tags"] == "wire"
    assert "Cost and timetable" in harbour.body
    assert results[0].source == feed


def test_importing_the_feed_again_adds_only_new_items_without_refetching_old_ones(site, tmp_path):
    site.page("/harbour", "harbour.html")
    site.page("/orchard", "orchard.html")
    feed = site.add("/feed.xml", _rss(site, ITEMS[:1]), type="application/rss+xml")
    corpus = tmp_path / "articles"
    assert [r.status for r in Importer(corpus).run([feed])] == ["added"]

    site.add("/feed.xml", _rss(site, ITEMS), type="application/rss+xml")
    results = Importer(corpus).run([feed])

    assert {r.url: r.status for r in results} == {
        site.url("/harbour"): "duplicate",
        site.url("/orchard"): "added",
    }
    assert site.hits("/harbour") == 1  # known link: not fetched again
    assert len(list(iter_articles(corpus))) == 2


def test_a_feed_with_whole_articles_needs_no_page_and_updates_changed_items(site, tmp_path):
    body = (FIXTURES / "orchard.html").read_text()
    article = body.split('<div id="content">')[1].split('<div id="footer">')[0]
    feed_xml = _rss(site, ITEMS[1:], content={"/orchard": article})
    feed = site.add("/feed.xml", feed_xml, type="application/rss+xml")
    corpus = tmp_path / "articles"

    (first,) = Importer(corpus).run([feed])
    assert first.status == "added"
    assert site.hits("/orchard") == 0  # the page was never fetched
    assert "Miller's Winter" in Path(first.path).read_text()

    site.add("/feed.xml", feed_xml.replace("Miller's Winter", "Miller's Late Winter"))
    (again,) = Importer(corpus).run([feed])
    assert again.status == "updated" and again.path == first.path
    assert "Miller's Late Winter" in Path(first.path).read_text()


def test_atom_and_json_feeds(site, tmp_path):
    site.page("/harbour", "harbour.html")
    site.page("/orchard", "orchard.html")
    atom = site.add(
        "/atom",
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Side</title>'
        f'<entry><title>Atom harbour</title><link href="{site.url("/harbour")}"/>'
        "<updated>2024-03-20T00:00:00Z</updated><summary>Short.</summary></entry></feed>",
        type="application/atom+xml",
    )
    json_feed = site.add(
        "/feed.json",
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Json Side",
                "items": [
                    {
                        "id": "1",
                        "url": site.url("/orchard"),
                        "title": "JSON orchard",
                        "date_published": "2023-10-05T08:00:00Z",
                        "authors": [{"name": "Ana Feed"}],
                        "summary": "Short.",
                    },
                    {"id": "2", "url": "javascript:alert(1)", "title": "Hostile link"},
                ],
            }
        ),
        type="application/feed+json",
    )
    results = Importer(tmp_path / "articles").run([atom, json_feed])
    by_title = {r.title: r for r in results}
    assert by_title["Atom harbour"].status == "added"
    orchard = load_path(Path(by_title["JSON orchard"].path), tmp_path / "articles")
    assert orchard.source == "Json Side" and orchard.author == "Ana Feed"
    assert str(orchard.date) == "2023-10-05"
    hostile = by_title["Hostile link"]
    assert hostile.status == "failed" and "http" in hostile.reason


def test_opml_and_urls_files_name_feeds_and_pages(site, tmp_path):
    site.page("/harbour", "harbour.html")
    site.page("/orchard", "orchard.html")
    feed = site.add("/feed.xml", _rss(site, ITEMS[:1]), type="application/rss+xml")
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>'
        f'<outline text="News"><outline text="Coast" type="rss" xmlUrl="{feed}"/></outline>'
        f'<outline text="Gone" type="rss" xmlUrl="{site.url("/gone.xml")}"/>'
        "</body></opml>"
    )
    urls = tmp_path / "urls"
    urls.write_text(f'# my reading\n{site.url("/orchard")} farming "slow food" ~Orchard\n')

    results = Importer(tmp_path / "articles").run([str(opml), str(urls)])

    statuses = {r.url: (r.status, r.reason) for r in results}
    assert statuses[site.url("/harbour")] == ("added", None)
    assert statuses[site.url("/gone.xml")][0] == "failed"
    assert "404" in statuses[site.url("/gone.xml")][1]
    orchard = next(r for r in results if r.url == site.url("/orchard"))
    assert orchard.status == "added"
    meta = load_path(Path(orchard.path), tmp_path / "articles").meta
    assert meta["tags"] == "farming, slow food"
    harbour = next(r for r in results if r.url == site.url("/harbour"))
    assert load_path(Path(harbour.path), tmp_path / "articles").meta["tags"] == "News"


def test_a_redirected_link_is_the_same_article(site, tmp_path):
    site.page("/harbour", "harbour.html")
    old = site.redirect("/old-harbour", "/harbour")
    corpus = tmp_path / "articles"
    (first,) = Importer(corpus).run([site.url("/harbour")])
    (second,) = Importer(corpus).run([old])
    assert first.status == "added" and second.status == "duplicate"
    assert second.path == first.path


def test_a_redirect_to_another_scheme_is_refused(site, tmp_path):
    bad = site.redirect("/sneaky", "file:///etc/passwd", status=302)
    (result,) = Importer(tmp_path / "articles").run([bad])
    assert result.status == "failed" and "http" in result.reason
    assert not (tmp_path / "articles").exists() or not list((tmp_path / "articles").iterdir())


def test_fetch_sends_an_honest_agent_reads_gzip_and_retries(site):
    site.add("/z", "<p>compressed</p>" * 100, gzip=True, failures=[503, 502])
    waits = []
    answer = fetch(site.url("/z"), sleep=waits.append)
    assert answer.body == b"<p>compressed</p>" * 100
    assert len(waits) == 2 and waits[1] > waits[0]  # backoff
    (_, headers) = site.requests[-1]
    assert headers["User-Agent"].startswith("reader/")
    assert "gzip" in headers["Accept-Encoding"]


def test_fetch_gives_up_on_errors_and_caps_the_size(site, monkeypatch):
    site.add("/missing-for-good", "", status=404)
    with pytest.raises(FetchError, match="404"):
        fetch(site.url("/nothing-here"), sleep=lambda s: None)
    assert site.hits("/nothing-here") == 1  # a 404 is not retried
    site.add("/big", b"x" * 5000)
    with pytest.raises(FetchError, match="larger"):
        fetch(site.url("/big"), max_bytes=1000)
    site.add("/bomb", b"\0" * 200_000, gzip=True)
    with pytest.raises(FetchError, match="decompressed"):
        fetch(site.url("/bomb"), max_bytes=10_000)
    with pytest.raises(FetchError, match="only http"):
        fetch("ftp://127.0.0.1/x")
    monkeypatch.setattr(fetching, "TIMEOUT", 0.5)
    with pytest.raises(FetchError):
        fetch("http://127.0.0.1:9/", retries=0)  # nothing listens on the discard port
