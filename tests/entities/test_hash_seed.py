"""Recognition gives the same entities whatever PYTHONHASHSEED a process runs under.

A short form of an organisation's name ("the Department of Primary Industries",
"Farmers Federation" when "The National" starting a sentence was left out) used
to take whichever longer name a set happened to yield first: two runs on the same
2 MB article differed in 22 organisations' mentions and aliases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from reader.entities import recognize

STORY = """Farm groups split over drought aid

The Victorian Farmers Federation says the drought package will not reach most dairy farmers in time.
South Australian Farmers Federation president Carol Hennessy has asked the minister for a meeting.
Growers want a national approach from the National Farmers Federation.
Western Australian Farmers Federation grains chief Leon Godfrey says growers need help now.
The National Farmers Federation says it will take the case to Canberra next week.

The NSW Department of Primary Industries says pastures are the worst in a decade.
The Queensland Department of Primary Industries is counting the cost in the south-west.
Dr Ian Barker, from the Department of Primary Industries, says stock numbers will fall further.
"""

_CHILD = """
import json, sys
from reader.entities import recognize
found = recognize(sys.stdin.read())
print(json.dumps([[e.type, e.name, [[m.start, m.end] for m in e.mentions]] for e in found]))
"""

#: Seeds under which the old set order picked three different sets of names.
SEEDS = ("0", "2", "4")


def test_the_same_entities_under_every_hash_seed():
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in SEEDS
    ]
    outputs = [child.communicate(STORY, timeout=60)[0] for child in children]
    assert all(child.returncode == 0 for child in children)
    results = {seed: json.loads(out) for seed, out in zip(SEEDS, outputs, strict=True)}
    assert results["0"] == results["2"] == results["4"]


def _organisation_at(text: str, start: int) -> str:
    for entity in recognize(text):
        if any(m.start == start for m in entity.mentions):
            assert entity.type == "organisation"
            return entity.name
    raise AssertionError(f"no entity at {start}: {text[start : start + 40]!r}")


def test_a_short_form_takes_the_name_its_own_words_spell_out():
    # "The National" starts the sentence and was left out of the run.
    at = STORY.index("Farmers Federation says it will")
    assert _organisation_at(STORY, at) == "National Farmers Federation"


def test_a_short_form_takes_the_longer_name_named_last_before_it():
    at = STORY.index("Department of Primary Industries, says")
    assert _organisation_at(STORY, at) == "Queensland Department of Primary Industries"


def test_a_short_form_before_any_longer_name_takes_the_first_after_it():
    text = (
        "Dr Ian Barker, from the Department of Primary Industries, says stock will fall.\n"
        "The NSW Department of Primary Industries says pastures are the worst in a decade.\n"
        "The Queensland Department of Primary Industries is counting the cost.\n"
    )
    at = text.index("Department of Primary Industries, says")
    assert _organisation_at(text, at) == "NSW Department of Primary Industries"
