"""Progress kept in the home folder; the completion record exported as CSV and JSON."""

import csv
import json
from datetime import date
from pathlib import Path

from desktop_app.core.training.progress import Progress, completion_record
from desktop_app.services.paths import resource_folder
from desktop_app.services.training.progress_file import ProgressFile, export_record
from desktop_app.services.training.scenarios import load_scenarios


def test_progress_survives_a_restart(tmp_path: Path) -> None:
    store = ProgressFile(tmp_path)
    assert store.load() == Progress()
    progress = Progress("Alex").with_attempt("01-reply-all-mixed", 100)
    store.save(progress)
    assert store.path.parent == tmp_path
    assert ProgressFile(tmp_path).load() == progress


def test_export_writes_csv_and_json_without_message_text(tmp_path: Path) -> None:
    scenarios = load_scenarios(resource_folder() / "training").scenarios
    progress = Progress("Alex Morgan").with_attempt(scenarios[0].id, 100)
    record = completion_record(progress, scenarios, progress.trainee, date(2026, 11, 27))
    csv_path, json_path = export_record(record, tmp_path / "records")
    assert csv_path.name == "training-record-Alex-Morgan-2026-11-27.csv"
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert rows[0]["name"] == "Alex Morgan" and rows[0]["score"] == "100"
    assert rows[-1]["scenario"] == "total"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["name"] == "Alex Morgan" and len(data["scenarios"]) == len(scenarios)
    everything = csv_path.read_text(encoding="utf-8") + json_path.read_text(encoding="utf-8")
    for scenario in scenarios:
        assert scenario.story not in everything
        assert scenario.original is None or scenario.original.body not in everything
