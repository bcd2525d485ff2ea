"""Entity ids: the same in every article and every run, one per entity (issue 16)."""

from __future__ import annotations

from reader.entities import recognize
from reader.entities.identity import SurnameLinks, entity_id, slug
from reader.entities.recognizer import default_recognizer


def ids_of(text: str) -> dict[str, str]:
    codes = default_recognizer().gazetteer.place_codes
    return {m.text: entity_id(e.type, e.name, codes) for e in recognize(text) for m in e.mentions}


def test_the_united_states_is_one_place_with_its_iso_code():
    text = (
        "The U.S. said so. The US agreed. Later the United States said it again, "
        "and America insisted."
    )
    found = ids_of(text)
    assert {found["U.S."], found["US"], found["United States"], found["America"]} == {"place:US"}


def test_places_carry_their_codes():
    found = ids_of("He flew from Tokyo to California and on to Hanoi, in Vietnam.")
    assert found["Vietnam"] == "place:VN"
    assert found["California"] == "place:US-CA"
    assert found["Hanoi"].startswith("place:geonames:")


def test_a_historical_country_has_its_iso_code():
    assert ids_of("The Soviet Union collapsed.")["Soviet Union"] == "place:SUHH"


def test_people_with_similar_names_never_share_an_id():
    assert entity_id("person", "Nobuo Kishi") != entity_id("person", "Fumio Kishida")
    assert entity_id("person", "Nobuo Kishi") == "person:nobuo-kishi"


def test_slug_folds_accents_apostrophes_and_dashes():
    assert slug("Phan Văn Giang") == "phan-van-giang"
    assert slug("Jane’s Defence Weekly") == slug("Jane's Defence Weekly") == "janes-defence-weekly"
    assert slug("Japan Self\u2010Defense Forces") == "japan-self-defense-forces"
    assert slug("王毅") == "王毅"


def test_a_lone_surname_links_to_the_one_full_name_in_the_corpus():
    links = SurnameLinks(["Nobuo Kishi", "Kishi", "Phan Van Giang", "Wang Yi"])
    assert links.canonical("Kishi") == "Nobuo Kishi"
    assert links.canonical("Wang") == "Wang Yi"  # a surname written first
    assert links.canonical("Nobuo Kishi") == "Nobuo Kishi"


def test_two_people_with_one_surname_stay_apart():
    links = SurnameLinks(["Nobuo Kishi", "Ann Kishi", "Kishi"])
    assert links.canonical("Kishi") == "Kishi"
    assert entity_id("person", "Nobuo Kishi") != entity_id("person", "Ann Kishi")
