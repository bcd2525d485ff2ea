"""Agreements across the corpus: merging, corrections, the cache, ``reader agreements``."""

from __future__ import annotations

import csv
import io
import json

import pytest

import reader.cli.main as cli
from reader.agreements import catalog
from reader.agreements.corrections import CorrectionError, Corrections, apply, default_path
from reader.agreements.records import Member, dates_agree, matches, merge

KYODO = "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"
TAIWAN = "2021-09-11-taiwan-news-japan-vietnam-defense-agreement"
SEPT12 = "2021-09-12-japan-vietnam-sign-defence-equipment-agreement"
NOV24 = "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
USNI = "2014-03-19-japan-and-vietnam-expand-defense-partnership"


@pytest.fixture
def run(capsys, corpus):
    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["--corpus", str(corpus), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def transfer(records):
    (found,) = [r for r in records if KYODO in {m.article_id for m in r.members}]
    return found


# -- the bundled corpus: the records must read right --------------------------------------------


def test_bundled_corpus_records(index):
    records = catalog.load(index)
    main = transfer(records)
    assert main.name == "defence equipment and technology transfer agreement"
    assert {m.article_id for m in main.members} == {KYODO, TAIWAN, SEPT12, NOV24}
    assert main.parties == ["Japan", "Vietnam"]
    assert set(main.signatories) == {"Nobuo Kishi", "Phan Van Giang"}
    assert main.place == "Hanoi"
    assert main.date == "2021-09-11"
    assert main.status == "signed"
    by_name = {r.name: r for r in records}
    assert by_name["2011 memorandum of understanding"].date == "2011"
    assert by_name["extensive strategic partnership"].date == "2014-03-18"
    cyber = by_name["agreements on cybersecurity and military medicine"]
    assert cyber.date == "2021-11-23" and [m.article_id for m in cyber.members] == [NOV24]
    # two agreements of one article are never merged into one record
    for record in records:
        ids = [m.article_id for m in record.members]
        assert len(ids) == len(set(ids))


def test_merge_keeps_apart_what_disagrees():
    def member(article, name, date, parties, kind="agreement"):
        entity = {"name": name, "kind": kind, "date": date, "parties": parties}
        return Member(f"{article}#{name}", article, "", "2021-01-01", entity)

    same = [
        member("a", "defence equipment transfer agreement", "2021-09-11", ["Japan", "Vietnam"]),
        member("b", "defense agreement", "2021-09-11", ["Japan", "Vietnam"]),
        member("c", "deal on defence equipment", None, ["Vietnam", "Japan"], "deal"),
    ]
    other = [
        member("d", "defence equipment transfer agreement", "2014-03", ["Japan", "Vietnam"]),
        member("e", "defence equipment agreement", "2021-09-11", ["Japan", "Philippines"]),
        member(
            "f", "memorandum on defence equipment", "2021-09-11", ["Japan", "Vietnam"], "memorandum"
        ),
    ]
    groups = merge(same + other)
    (big,) = [g for g in groups if len(g) > 1]
    assert {m.article_id for m in big} == {"a", "b", "c"}
    assert len(groups) == 4


def test_dates_agree():
    assert dates_agree("2021-09", "2021-09-11")
    assert dates_agree("2021-09-11", "2021-09-14")
    assert not dates_agree("2021-09-11", "2021-10-11")
    assert not dates_agree("2014", "2021-09")
    assert dates_agree(None, "2021")


def test_filters(index):
    records = catalog.load(index)
    main = transfer(records)
    assert matches(main, party="viet")
    assert matches(main, party="Phan Van Giang")  # a signatory
    assert not matches(main, party="Philippines")
    assert matches(main, kind="agreement") and matches(
        main, kind="deal"
    )  # some articles call it a deal
    assert not matches(main, kind="memorandum")
    assert matches(main, date_from="2021-09", date_to="2021-09")
    assert matches(main, date_from="2021-09-11", date_to="2021-09-11")
    assert not matches(main, date_from="2021-09-12")
    memo = next(r for r in records if r.date == "2011")
    assert matches(memo, date_from="2011-06-01", date_to="2011-06-30")  # within 2011
    assert not matches(memo, date_to="2010-12-31")


# -- corrections --------------------------------------------------------------------------------


def test_corrections_win_and_survive_a_rebuild(index, corpus):
    from reader.index.corpus_index import CorpusIndex

    main = transfer(catalog.load(index))
    store = Corrections()
    store.add(
        {
            "op": "edit",
            "members": [m.key for m in main.members],
            "fields": {"name": "Japan-Vietnam transfer agreement", "date": "2021-09"},
        }
    )
    store.add({"op": "split", "members": [m.key for m in main.members if m.article_id == NOV24]})
    records = catalog.load(index)
    edited = transfer(records)
    assert edited.name == "Japan-Vietnam transfer agreement" and edited.date == "2021-09"
    assert edited.corrected == ["name", "date"]
    assert NOV24 not in {m.article_id for m in edited.members}
    split_off = [r for r in records if [m.article_id for m in r.members] == [NOV24]]
    assert any(r.kind == "deal" for r in split_off)

    index.close()
    rebuilt = CorpusIndex(corpus)
    rebuilt.rebuild()
    again = transfer(catalog.load(rebuilt))
    assert again.name == "Japan-Vietnam transfer agreement"
    assert NOV24 not in {m.article_id for m in again.members}
    rebuilt.close()


def test_merge_then_split_in_order():
    a = Member("x#a", "x", "", None, {"name": "a"})
    b = Member("y#b", "y", "", None, {"name": "b"})
    groups, _ = apply([[a], [b]], [{"op": "merge", "members": ["x#a", "y#b"]}])
    assert len(groups) == 1 and len(groups[0]) == 2
    groups, _ = apply(
        [[a], [b]],
        [{"op": "merge", "members": ["x#a", "y#b"]}, {"op": "split", "members": ["y#b"]}],
    )
    assert len(groups) == 2


def test_damaged_corrections_file_is_kept_and_said(index):
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CorrectionError, match="damaged"):
        catalog.load(index)
    assert path.read_text(encoding="utf-8") == "{not json"  # never overwritten by a read
    Corrections().add({"op": "merge", "members": []})
    aside = list(path.parent.glob("agreements.json.damaged-*"))
    assert aside and aside[0].read_text(encoding="utf-8") == "{not json"
    assert json.loads(path.read_text(encoding="utf-8"))["operations"]


def test_cache_is_keyed_to_the_index_version(index, corpus):
    catalog.load(index)
    cached = json.loads(catalog.cache_path(index).read_text(encoding="utf-8"))
    assert cached["version"] == catalog.index_version(index)
    # an article that changes changes the records, without a stale answer
    path = corpus / f"{KYODO}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Hanoi", "Da Nang"), encoding="utf-8")
    index.update()
    assert catalog.index_version(index) != cached["version"]
    places = {r.place for r in catalog.load(index)}
    assert "Da Nang" in places or "Hanoi" not in places


# -- the command ----------------------------------------------------------------------------------


def test_cli_list_json_and_csv(run):
    code, out, err = run("agreements", "--json")
    assert code == 0, err
    records = json.loads(out)
    main = next(r for r in records if len(r["articles"]) == 4)
    assert set(main) >= {
        "id", "name", "kind", "parties", "signatories", "date", "place", "status", "articles",
    }  # fmt: skip
    assert all(a["mentions"] for a in main["articles"])
    code, out, _ = run(
        "agreements", "--format", "csv", "--party", "Vietnam", "--kind", "memorandum"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(row["kind"] == "memorandum" for row in rows)
    code, out, _ = run("agreements", "--from", "2021-09-01", "--to", "2021-09-30")
    assert code == 0
    assert out.count("\n") == 1 and "defence equipment and technology transfer" in out


def test_cli_edit_merge_split_show(run):
    _, out, _ = run("agreements", "--json")
    records = json.loads(out)
    main = next(r for r in records if len(r["articles"]) == 4)
    memo = next(r for r in records if r["date"] == "2011")
    code, out, err = run("agreements", "edit", main["id"], "--parties", "Japan, Viet Nam", "--json")
    assert code == 0, err
    assert json.loads(out)["parties"] == ["Japan", "Viet Nam"]
    code, out, err = run("agreements", "merge", main["id"], memo["id"], "--json")
    assert code == 0, err
    merged = json.loads(out)
    assert len(merged["articles"]) == 5
    code, out, err = run("agreements", "split", merged["id"], USNI, "--json")
    assert code == 0, err
    assert [a["id"] for a in json.loads(out)["articles"]] == [USNI]
    code, out, err = run("agreements", "show", main["id"])
    assert code == 0, err
    assert "Viet Nam" in out and "> TOKYO (Kyodo)" in out


def test_cli_errors_are_one_line(run):
    code, out, err = run("agreements", "show", "ag-nothing", "--json")
    assert code == 2 and json.loads(out)["error"].startswith("no agreement")
    code, _, err = run("agreements", "--from", "last week")
    assert code == 2 and err.count("\n") == 1 and "--from" in err
    code, _, err = run("agreements", "edit", "ag-nothing")
    assert code == 2 and "say what to change" in err
    _, out, _ = run("agreements", "--json")
    first = json.loads(out)[0]["id"]
    code, _, err = run("agreements", "merge", first, first)
    assert code == 2 and "two agreements" in err


# -- search: the agreement field and a filter on a record ---------------------------------------


def test_search_by_agreement_field_and_record_filter(run):
    code, out, err = run("search", 'agreement:"transfer"', "--json")
    assert code == 0, err
    assert {NOV24, SEPT12} <= {hit["id"] for hit in json.loads(out)}
    _, out, _ = run("agreements", "--json")
    main = next(r for r in json.loads(out) if len(r["articles"]) == 4)
    code, out, err = run("search", "Japan", "--agreement", main["id"][:6], "--json")
    assert code == 0, err
    assert {hit["id"] for hit in json.loads(out)} == {KYODO, TAIWAN, SEPT12, NOV24}
    code, out, err = run("search", "Japan", "--agreement", "ag-nothing", "--json")
    assert code == 2 and "no agreement" in json.loads(out)["error"]


def test_entities_json_keeps_its_shape_and_adds_the_record(run, corpus):
    code, out, err = run("entities", "--json", str(corpus / f"{KYODO}.md"))
    assert code == 0, err
    (article,) = json.loads(out)
    (agreement,) = [e for e in article["entities"] if e["type"] == "agreement"]
    assert {"type", "name", "mentions"} <= set(agreement)
    assert agreement["kind"] == "agreement" and agreement["status"] == "signed"
    assert agreement["date"] == "2021-09-11"  # resolved against the article's date
    assert agreement["parties"] == ["Japan", "Vietnam"]
    assert all(isinstance(start, int) for start, _ in agreement["evidence"])
    people = [e for e in article["entities"] if e["type"] == "person"]
    # Issue 16 gives every entity its id across the corpus.
    assert people and all(set(e) == {"id", "type", "name", "mentions"} for e in people)
