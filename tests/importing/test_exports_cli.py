"""Read-later exports, subscriptions and the ``reader import`` / ``reader update`` commands."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from local_site import serving

from reader.cli.main import main
from reader.corpus.articles import load_path
from reader.importing import subscriptions
from reader.importing.pipeline import Importer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"


@pytest.fixture
def site():
    """A local web server for this test (127.0.0.1, stopped at the end)."""
    with serving() as server:
        yield server


def _article_html(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_a_pocket_export_fetches_its_links_with_their_tags(site, tmp_path):
    site.page("/harbour", "harbour.html")
    export = tmp_path / "part_000000.csv"
    export.write_text(
        "title,url,time_added,tags,status\n"
        f'"Saved: sea wall",{site.url("/harbour")},1710835200,coast|policy,unread\n'
        f"Gone,{site.url('/gone')},1710835200,,archive\n"
    )
    results = Importer(tmp_path / "articles").run([str(export)])
    by_url = {r.url: r for r in results}
    saved = by_url[site.url("/harbour")]
    assert saved.status == "added" and saved.title == "Saved: sea wall"
    assert load_path(Path(saved.path), tmp_path / "articles").meta["tags"] == "coast, policy"
    assert by_url[site.url("/gone")].status == "failed"


def test_a_wallabag_export_carries_its_pages(tmp_path, site):
    entries = [
        {
            "id": 7,
            "title": "Orchards (wallabag)",
            "url": "https://valley.example.net/2023/10/old-orchards",
            "content": _article_html("orchard.html"),
            "created_at": "2023-11-01T10:00:00+01:00",
            "published_at": "2023-10-02T00:00:00+00:00",
            "published_by": ["Tomás Ferreira"],
            "tags": [{"id": 1, "label": "farming", "slug": "farming"}],
        }
    ]
    export = tmp_path / "wallabag.json"
    export.write_text(json.dumps(entries))
    (result,) = Importer(tmp_path / "articles").run([str(export)])
    assert result.status == "added"
    article = load_path(Path(result.path), tmp_path / "articles")
    assert article.title == "Orchards (wallabag)"
    assert str(article.date) == "2023-10-02"
    assert article.meta["tags"] == "farming"
    assert "Miller's Winter" in article.body
    assert site.requests == []  # nothing was fetched


def test_an_omnivore_export_zip(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "metadata_0_to_20.json",
            json.dumps(
                [
                    {
                        "id": "a1",
                        "slug": "sea-wall-18e",
                        "title": "Sea wall (Omnivore)",
                        "url": "https://ledger.example.org/news/2024/03/harbour-sea-wall",
                        "labels": ["coast"],
                        "savedAt": "2024-03-20T08:00:00.000Z",
                        "publishedAt": "2024-03-18T09:30:00.000Z",
                    }
                ]
            ),
        )
        archive.writestr("content/sea-wall-18e.html", _article_html("harbour.html"))
    export = tmp_path / "omnivore.zip"
    export.write_bytes(buffer.getvalue())
    (result,) = Importer(tmp_path / "articles").run([str(export)])
    assert result.status == "added" and result.title == "Sea wall (Omnivore)"
    article = load_path(Path(result.path), tmp_path / "articles")
    assert article.meta["tags"] == "coast" and str(article.date) == "2024-03-18"


def test_reader_import_json_lists_every_item_and_indexes_them(site, tmp_path, capsys):
    site.page("/harbour", "harbour.html")
    corpus = tmp_path / "mine"
    status = main(["import", site.url("/harbour"), site.url("/gone"), "--corpus", str(corpus)])
    assert status == 0
    capsys.readouterr()
    status = main(["import", "--json", site.url("/harbour"), "--corpus", str(corpus)])
    assert status == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert set(item) == {"source", "status", "path", "id", "title", "url", "reason"}
    assert item["status"] == "duplicate"
    # The index was brought up to date: the article can be searched at once.
    assert main(["search", "--json", "fishermen", "--corpus", str(corpus)]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["id"] == item["id"]


def test_reader_import_fails_with_status_2_only_when_nothing_came_in(site, tmp_path, capsys):
    corpus = tmp_path / "mine"
    assert main(["import", "--json", site.url("/gone"), "--corpus", str(corpus)]) == 2
    (item,) = json.loads(capsys.readouterr().out)
    assert item["status"] == "failed" and "404" in item["reason"]


def test_reader_import_refuses_the_bundled_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no ./articles here
    assert main(["import", str(FIXTURES / "orchard.html")]) == 2
    assert "--corpus" in capsys.readouterr().err


def test_subscribe_then_update_brings_only_new_items(site, tmp_path, capsys):
    site.page("/harbour", "harbour.html")
    site.page("/orchard", "orchard.html")

    def feed(paths: list[str]) -> str:
        items = "".join(f"<item><title>{p}</title><link>{site.url(p)}</link></item>" for p in paths)
        channel = f"<channel><title>W</title>{items}</channel>"
        return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'

    url = site.add("/rss", feed(["/harbour"]), type="application/rss+xml")
    corpus = tmp_path / "mine"
    assert main(["import", "--subscribe", url, "--corpus", str(corpus), "--json"]) == 0
    capsys.readouterr()
    (subscription,) = subscriptions.load()
    assert subscription.url == url and Path(subscription.corpus) == corpus.resolve()
    assert subscriptions.path().is_file()

    site.add("/rss", feed(["/harbour", "/orchard"]), type="application/rss+xml")
    assert main(["update", "--json"]) == 0
    statuses = {r["url"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert statuses == {site.url("/harbour"): "duplicate", site.url("/orchard"): "added"}
    assert subscriptions.load()[0].updated is not None


def test_update_without_subscriptions_says_how_to_add_one(capsys):
    assert main(["update"]) == 2
    assert "--subscribe" in capsys.readouterr().err


def test_a_damaged_subscriptions_file_is_never_replaced(tmp_path, capsys):
    subscriptions.path().parent.mkdir(parents=True, exist_ok=True)
    subscriptions.path().write_text("{not json")
    with pytest.raises(subscriptions.SubscriptionError):
        subscriptions.load()
    status = main(["import", "--subscribe", "http://127.0.0.1:9/x", "--corpus", str(tmp_path)])
    assert status == 2
    assert subscriptions.path().read_text() == "{not json"
