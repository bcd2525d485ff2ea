"""The import benchmark counts kept and dropped strings on pages it is given."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from reader.bench import import_quality

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"


def test_the_benchmark_counts_what_the_import_keeps_and_drops(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    shutil.copy(FIXTURES / "orchard.html", tmp_path / "pages" / "orchard.html")
    harbour = (FIXTURES / "harbour.html").read_bytes()
    (tmp_path / "pages" / "harbour.html.gz").write_bytes(gzip.compress(harbour))
    expectations = {
        "orchard.html": {
            "url": "https://valley.example.net/2023/10/old-orchards",
            "with": ["known locally as the Miller's Winter", "a sentence that is not there"],
            "without": ["Newsletter sign-up"],
        },
        "harbour.html": {
            "url": "https://ledger.example.org/news/2024/03/harbour-sea-wall",
            "with": ["The wall will be four hundred metres long"],
            "without": ["Reader comment", "Cost and timetable"],
        },
    }
    (tmp_path / "expectations.json").write_text(json.dumps(expectations))

    figures = import_quality.measure(tmp_path)

    assert figures["pages"] == 2
    assert figures["with_sentences"] == 3 and figures["with_kept"] == round(2 / 3, 4)
    assert figures["without_strings"] == 3 and figures["without_dropped"] == round(2 / 3, 4)
    assert figures["import_statuses"] == {"added": 2}
    assert import_quality.main(["--pages", str(tmp_path / "nowhere")]) == 2
