"""Agreements as records: recognition, the record's fields, dates, on real text.

The bundled articles are the acceptance check; the ABC stories (read from
``../shared`` at run time, skipped without it) pin the negatives and the scores.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from reader.corpus.articles import load_corpus
from reader.entities import dates, recognize
from reader.entities.agreement_fields import resolve_dates, sentence_bounds

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "articles"


@pytest.fixture(scope="module")
def corpus():
    articles, _ = load_corpus(ARTICLES)
    return {article.id: article for article in articles}


def agreements(text: str, when: date | None = None):
    entities = [e for e in recognize(text) if e.type == "agreement"]
    return resolve_dates(entities, when)


def records_of(article):
    entities = recognize(article.body, title=article.title, author=article.author)
    return [e for e in resolve_dates(entities, article.date) if e.type == "agreement"]


# -- the bundled articles: the records must read right --------------------------------------


def test_kyodo_transfer_agreement_is_one_record_with_its_fields(corpus):
    article = corpus["2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"]
    (record,) = records_of(article)
    assert "defense equipment and technology" in record.name
    assert [m.text for m in record.mentions] == [
        "an agreement",
        "The deal",
        "the deal",
        "The agreement",
    ]  # "such a deal" is another agreement of the kind, not this one
    fields = record.record
    assert fields["kind"] == "agreement"
    assert fields["status"] == "signed"
    assert fields["parties"] == ["Japan", "Vietnam"]
    assert fields["signatories"] == ["Nobuo Kishi"]
    assert fields["place"] == "Hanoi"
    assert fields["date"] == "2021-09-11"  # "on Saturday", in a Saturday paper
    for start, end in fields["evidence"]:
        assert article.body[start:end].strip()
    first = fields["evidence"][0]
    assert "on Saturday signed an agreement" in article.body[first[0] : first[1]]


def test_taiwan_news_signatories_and_parties(corpus):
    (record,) = records_of(corpus["2021-09-11-taiwan-news-japan-vietnam-defense-agreement"])
    assert record.name == "defense agreement"
    assert set(record.record["signatories"]) == {"Nobuo Kishi", "Phan Van Giang"}
    assert record.record["parties"] == ["Japan", "Vietnam"]
    assert record.record["date"] == "2021-09-11"


def test_2014_article_three_records(corpus):
    records = records_of(corpus["2014-03-19-japan-and-vietnam-expand-defense-partnership"])
    by_kind = {r.record["kind"]: r for r in records}
    assert set(by_kind) == {"agreement", "partnership", "memorandum"}
    main = by_kind["agreement"]
    assert main.record["date"] == "2014-03-18"  # "The Tuesday agreement", a Wednesday paper
    assert main.record["signatories"] == ["Shinzo Abe", "Truong Tan Sang"]
    assert main.record["place"] == "Tokyo"
    assert by_kind["partnership"].name == "extensive strategic partnership"
    memo = by_kind["memorandum"]
    assert memo.name == "2011 memorandum of understanding"
    assert memo.record["date"] == "2011"
    assert memo.record["parties"] == ["Vietnam", "Japan"]
    assert main.record["date"] != memo.record["date"]  # the memorandum's year is its own


def test_november_article_memorandums_and_the_earlier_deal(corpus):
    records = records_of(corpus["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"])
    names = [r.name for r in records]
    assert names[0] == "agreements on cybersecurity and military medicine"
    assert records[0].record["date"] == "2021-11-23"  # "Tuesday's agreement"
    deal = records[1]
    assert [m.text for m in deal.mentions] == [
        "a deal",
        "a defense equipment and technology transfer deal",
    ]
    assert deal.record["parties"] == ["Japan", "Vietnam"]
    assert len(records) == 2


# -- what is an agreement and what is not ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The two sides agreed to resume talks next month.",
        "The minister said he was in agreement with the farmers on the matter.",
        "No agreement was reached after three days of talks in Geneva.",
        "The March contract rose 2 cents, while futures contracts for May were steady.",
        "Growers say the contract price for peas is still too low.",
        "Cattle contracts fell on the Sydney Futures Exchange yesterday.",
        "Farmers must deal with the drought as best they can.",
        "He said there was a great deal of work still to do.",
        "Japan has signed similar agreements with Britain and Australia.",
        "The company announced it would cut its supply contracts by 90 per cent.",
        "Biosecurity Australia has imposed new quarantine protocols on avocados.",
    ],
)
def test_not_agreements(text):
    assert agreements(text) == []


def test_named_agreement_with_its_keyword_first_and_its_acronym():
    text = (
        "Ministers met in Geneva to revive the General Agreement on Tariffs and Trade (GATT). "
        "Officials said GATT talks would resume in March. "
        "The Treaty of Rome was signed on March 25, 1957."
    )
    records = agreements(text)
    names = [r.name for r in records]
    assert names == ["General Agreement on Tariffs and Trade (GATT)", "Treaty of Rome"]
    assert [m.text for m in records[0].mentions][-1] == "GATT"
    assert records[1].record["kind"] == "treaty"
    assert records[1].record["date"] == "1957-03-25"
    assert records[1].record["status"] == "signed"


def test_two_agreements_in_one_article_stay_two():
    text = (
        "Victoria and New South Wales have reached an in-principle deal to trade water. "
        "Separately, Victoria and South Australia signed an agreement on water pricing. "
        "The deal will be reviewed by the regulator."
    )
    records = agreements(text)
    assert len(records) == 2
    assert records[0].record["parties"] == ["Victoria", "New South Wales"]
    assert records[1].record["parties"] == ["Victoria", "South Australia"]
    assert "water" in records[0].name and "water" in records[1].name


def test_kinds_contract_settlement_ceasefire_letter_of_intent():
    text = (
        "The company signed a $100 million wheat contract with Iraq. "
        "A settlement of $97,000 has now been reached with the family. "
        "The two armies agreed to a ceasefire on Sunday. "
        "The carmaker signed a letter of intent with the union last month."
    )
    kinds = [r.record["kind"] for r in agreements(text, date(2006, 3, 15))]
    assert kinds == ["contract", "settlement", "ceasefire", "letter of intent"]


def test_status_of_a_proposed_agreement_is_never_signed():
    (record,) = agreements(
        "Japan has agreed to discuss better access for Australian farm exports "
        "under a possible free trade agreement."
    )
    assert record.record["status"] == "proposed"
    assert record.name == "free trade agreement"


def test_relative_dates_are_resolved_against_the_article_date():
    text = "Australia and Egypt signed an agreement last month to track cattle exports."
    (record,) = agreements(text, date(2006, 3, 15))
    assert record.record["date"] == "2006-02"
    (unresolved,) = agreements(text, None)
    assert unresolved.record["date"] is None
    assert unresolved.record["date_text"] == "last month"


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "article", "expected"),
    [
        ("signed on September 11, 2021", None, "2021-09-11"),
        ("signed on 11 September 2021", None, "2021-09-11"),
        ("signed on Saturday (Sept. 11)", date(2021, 9, 11), "2021-09-11"),
        ("agreed in February 1987", None, "1987-02"),
        ("the 1975 accord", None, "1975"),
        ("on Tuesday", date(2014, 3, 19), "2014-03-18"),
        ("on Saturday", date(2021, 9, 11), "2021-09-11"),
        ("yesterday", date(2006, 1, 1), "2005-12-31"),
        ("last year", date(2006, 5, 1), "2005"),
        ("two months ago", date(2006, 1, 20), "2005-11"),
        ("Dec. 28", date(2007, 1, 3), "2006-12-28"),
    ],
)
def test_date_resolver(text, article, expected):
    found = dates.find_dates(text)
    assert found, text
    best = next((f for f in found if f.form == "absolute"), found[0])
    assert dates.resolve(best, article) == expected


def test_sentence_bounds_skip_abbreviations():
    body = "Japan and the U.S. signed it on Sept. 11 in Hanoi. Then they left."
    start, end = sentence_bounds(body, body.index("Hanoi"))
    assert body[start:end] == "Japan and the U.S. signed it on Sept. 11 in Hanoi."


def test_records_survive_the_index_round_trip():
    from reader.entities.model import Entity

    (record,) = agreements("Japan and Vietnam signed a defence agreement on Saturday.")
    again = Entity.from_dict(record.to_dict())
    assert again.record == record.record
    assert again == record


# -- real stories the recognizer was not written on (../shared, read at run time) --------------

GOLD_FILE = ROOT / "tests" / "agreements" / "gold_abc.yaml"


def _archive() -> Path | None:
    from reader.bench.agreement_scores import DEFAULT_ZIP

    return DEFAULT_ZIP if DEFAULT_ZIP.is_file() else None


def test_scores_on_hand_annotated_abc_stories():
    zip_path = _archive()
    if zip_path is None:
        pytest.skip("the ABC news archive (../shared/corpora) is not on this machine")
    from reader.bench.agreement_scores import read_stories, score

    gold = yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8"))["stories"]
    tally = score(read_stories(zip_path), gold, "all")
    figures = tally.figures()
    assert figures["recall"] >= 0.9, tally.notes
    assert figures["precision"] >= 0.9, tally.notes
    assert figures["label"] >= 0.8, tally.notes
    assert figures["date"] >= 0.75, tally.notes


def test_wire_style_agreements():
    (wage,) = agreements("The two sides reached agreement on a new wage contract late on Tuesday.")
    assert wage.name == "agreement on a new wage contract"
    assert [m.text for m in wage.mentions] == ["agreement", "new wage contract"]
    assert (
        agreements("Talks collapsed after the unions failed to reach a deal with the company.")
        == []
    )
    (mfa,) = agreements(
        "The Multi-Fibre Arrangement (MFA) expires in July. Exporters said the MFA had hurt them."
    )
    assert mfa.name == "Multi-Fibre Arrangement (MFA)"
    assert [m.text for m in mfa.mentions] == ["Multi-Fibre Arrangement", "MFA"]
    assert mfa.record["status"] == "in force"
    (pact,) = agreements(
        "Brazil and Argentina signed a trade pact in Buenos Aires on March 3, 1987."
    )
    assert pact.record["parties"] == ["Brazil", "Argentina"]
    assert pact.record["place"] == "Buenos Aires" and pact.record["date"] == "1987-03-03"


def test_a_long_text_with_a_thousand_agreements_stays_linear(corpus):
    body = corpus["2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"].body
    small = body * 20
    large = body * 200
    import time

    recognize(small)
    start = time.perf_counter()
    recognize(small)
    small_time = time.perf_counter() - start
    start = time.perf_counter()
    entities = recognize(large)
    large_time = time.perf_counter() - start
    assert large_time < small_time * 10 * 2.5  # ten times the text: not a hundred times the time
    assert sum(1 for e in entities if e.type == "agreement") >= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan and the United States reached agreement on semiconductors last July.", "1986-07"),
        ("The pact, signed in March, may be extended.", "1987-03"),
        ("Since the Plaza Agreement of September 1985 the dollar has fallen.", "1985-09"),
        ("The two countries agreed a ceasefire on Sunday.", "1987-04-05"),
    ],
)
def test_wire_dates(text, expected):
    (record,) = agreements(text, date(1987, 4, 8))  # a Wednesday
    assert record.record["date"] == expected
    assert "July" not in record.name and "September" not in record.name


def test_names_the_run_layer_took_for_agreements_get_records():
    text = (
        "The buffer stock manager of the International Cocoa Agreement (ICCA) bought cocoa. "
        "The ICCA was renegotiated in 1986. The Kyoto Protocol expires in 2012."
    )
    records = agreements(text)
    assert [r.name for r in records] == [
        "International Cocoa Agreement (ICCA)",
        "Kyoto Protocol",
    ]
    assert all(r.record is not None for r in records)
    assert [m.text for m in records[0].mentions] == ["International Cocoa Agreement", "ICCA"]


def test_the_fast_head_finder_finds_what_the_pattern_finds(corpus):
    from reader.entities.agreement_mentions import HEAD_RE, _heads

    texts = [a.body for a in corpus.values()] + [
        "İstanbul agreement; the Deal, a MoU, cease-fire and codes of conduct. agreements",
        "disagreement, agreement-like, the contract's terms, Memoranda of Understanding",
    ]
    for text in texts:
        assert [m.span() for m in _heads(text)] == [m.span() for m in HEAD_RE.finditer(text)]
