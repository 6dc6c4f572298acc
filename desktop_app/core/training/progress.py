"""Scores per scenario, progress as plain data, and the completion record (no message text)."""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.training.judging import FULL_SCORE
from desktop_app.core.training.schema import Scenario

PROGRESS_VERSION = 1


class ProgressError(UserFacingError):
    """A progress file whose content cannot be read."""


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """``score`` is the best of all attempts; ``attempts`` counts every decision made."""

    attempts: int = 0
    score: int = 0


@dataclass(frozen=True, slots=True)
class Progress:
    trainee: str = ""
    results: Mapping[str, ScenarioResult] = field(default_factory=dict)

    def result(self, scenario_id: str) -> ScenarioResult:
        return self.results.get(scenario_id, ScenarioResult())

    def with_attempt(self, scenario_id: str, score: int) -> "Progress":
        """Progress after one more attempt scoring ``score``; the best score is kept."""
        old = self.result(scenario_id)
        new = ScenarioResult(old.attempts + 1, max(old.score, score))
        return replace(self, results={**self.results, scenario_id: new})

    def with_trainee(self, trainee: str) -> "Progress":
        return replace(self, trainee=trainee.strip())

    def to_json(self) -> str:
        results = {
            key: {"attempts": value.attempts, "score": value.score}
            for key, value in sorted(self.results.items())
        }
        data = {"version": PROGRESS_VERSION, "trainee": self.trainee, "results": results}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**6:
        raise ValueError(value)
    return value


def progress_from_json(source_text: str, source: str) -> Progress:
    """Read what ``Progress.to_json`` wrote.

    Raises:
        ProgressError: not JSON, another version, or a malformed entry.
    """
    try:
        data = json.loads(source_text)
        if data.get("version") != PROGRESS_VERSION:
            raise ValueError("version")
        trainee = data.get("trainee", "")
        if not isinstance(trainee, str):
            raise ValueError("trainee")
        results = {
            str(key): ScenarioResult(_number(entry["attempts"]), _number(entry["score"]))
            for key, entry in data["results"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ProgressError(text("training.bad_progress", source=source)) from error
    return Progress(trainee, results)


@dataclass(frozen=True, slots=True)
class RecordLine:
    scenario: str
    title: str
    attempts: int
    score: int


@dataclass(frozen=True, slots=True)
class CompletionRecord:
    """For the practice's training file: who, when, which scenarios, what score."""

    name: str
    date: date
    scenarios: tuple[RecordLine, ...]
    score: int  # percent of the full score over every scenario offered
    completed: int  # scenarios answered correctly at some attempt

    def to_json(self) -> str:
        data = {
            "name": self.name,
            "date": self.date.isoformat(),
            "score": self.score,
            "completed": self.completed,
            "total": len(self.scenarios),
            "scenarios": [
                {"id": s.scenario, "title": s.title, "attempts": s.attempts, "score": s.score}
                for s in self.scenarios
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "date", "scenario", "title", "attempts", "score"])
        day = self.date.isoformat()
        for line in self.scenarios:
            writer.writerow([self.name, day, line.scenario, line.title, line.attempts, line.score])
        writer.writerow(
            [self.name, day, "total", "", sum(s.attempts for s in self.scenarios), self.score]
        )
        return out.getvalue()


def completion_record(
    progress: Progress, scenarios: Sequence[Scenario], name: str, day: date
) -> CompletionRecord:
    """The record of ``progress`` over ``scenarios``; titles only, never message text."""
    lines = tuple(
        RecordLine(s.id, s.title, progress.result(s.id).attempts, progress.result(s.id).score)
        for s in scenarios
    )
    total = FULL_SCORE * len(lines)
    score = round(100 * sum(line.score for line in lines) / total) if total else 0
    completed = sum(1 for line in lines if line.score > 0)
    return CompletionRecord(name.strip(), day, lines, score, completed)
