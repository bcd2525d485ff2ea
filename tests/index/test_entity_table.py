"""The corpus-wide entity table: built at index time, keyed to the index, one row per id."""

from __future__ import annotations

from reader.index.entity_table import (
    SUMMARY_FILE,
    TABLE_FILE,
    EntityTable,
    Record,
    read_table,
)


def record(article_id, date, *entities):
    return Record(
        article_id,
        date,
        article_id.title(),
        [
            {"type": kind, "name": name, "mentions": [{"text": text} for text in texts]}
            for kind, name, texts in entities
        ],
    )


def test_rows_count_articles_and_mentions_and_link_surnames_across_articles():
    table = EntityTable.build(
        "k",
        [
            record("a", "2021-09-11", ("person", "Nobuo Kishi", ["Nobuo Kishi", "Kishi"])),
            record(
                "b", "2021-09-12", ("person", "Kishi", ["Kishi"]), ("place", "Japan", ["Japan"])
            ),
            record("c", "2014-03-19", ("place", "United States", ["U.S.", "America"])),
            record("d", None, ("person", "Fumio Kishida", ["Fumio Kishida"])),
        ],
        {"Japan": "JP", "United States": "US"},
    )
    kishi = table.rows["person:nobuo-kishi"]
    assert kishi.articles == ["a", "b"] and kishi.mentions == 3
    assert (kishi.first, kishi.last) == ("2021-09-11", "2021-09-12")
    assert "Kishi" in kishi.aliases
    assert table.id_of("b", "person", "Kishi") == "person:nobuo-kishi"
    assert "person:fumio-kishida" in table.rows
    us = table.rows["place:US"]
    assert set(us.aliases) == {"U.S.", "America"}
    assert [r.id for r in table.ranked("person")] == ["person:nobuo-kishi", "person:fumio-kishida"]
    assert [(r.id, n) for r, n in table.cooccurring("place:JP")] == [("person:nobuo-kishi", 1)]


def test_the_files_round_trip_and_a_damaged_or_stale_one_is_refused(tmp_path):
    table = EntityTable.build("k", [record("a", "2020-01-01", ("place", "Japan", ["Japan"]))], {})
    table.write(tmp_path)
    again = read_table(tmp_path, "k")
    assert again is not None and again.rows == table.rows and again.by_article == table.by_article
    summary = read_table(tmp_path, "k", summary_only=True)
    assert summary is not None and summary.rows["place:japan"].count == 1
    assert read_table(tmp_path, "other key") is None
    data = bytearray((tmp_path / TABLE_FILE).read_bytes())
    data[-3] ^= 0xFF
    (tmp_path / TABLE_FILE).write_bytes(bytes(data))
    assert read_table(tmp_path, "k") is None
    (tmp_path / SUMMARY_FILE).write_text("not a table", encoding="utf-8")
    assert read_table(tmp_path, "k", summary_only=True) is None


def test_index_keeps_the_table_and_rebuilds_it_when_stale(index, corpus):
    table_path = index.live_dir / TABLE_FILE
    assert table_path.exists() and (index.live_dir / SUMMARY_FILE).exists()  # by the update
    first = index.entity_table()
    assert len(first.rows["place:VN"].articles) == 5
    table_path.write_text("damaged", encoding="utf-8")
    assert index.entity_table().rows.keys() == first.rows.keys()
    # A new article changes the index: the table follows.
    (corpus / "new.md").write_text(
        "---\ntitle: New\ndate: 2022-01-02\n---\nPrime Minister Nobuo Kishi visited Norway.\n",
        encoding="utf-8",
    )
    index.update()
    after = index.entity_table()
    assert after.key != first.key
    assert after.rows["place:NO"].articles == ["new"]
    assert "new" in after.rows["person:nobuo-kishi"].articles
