"""Reading scenario files: the built-in ones in ``resources/training`` and the trainer's own.

A broken file is reported and skipped; the others still load. A trainer's file with the
same name as a built-in one replaces it.
"""

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.training.scenario_file import parse_scenario
from desktop_app.core.training.schema import Scenario, ScenarioError
from desktop_app.services.files import read_input_file

TRAINING_FOLDER = "training"  # the trainer's own scenarios, in the home folder
MAX_SCENARIO_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class ScenarioSet:
    """The scenarios that loaded, in teaching order, and the files that did not."""

    scenarios: tuple[Scenario, ...]
    problems: tuple[ScenarioError, ...]


def user_training_folder(home: Path) -> Path:
    return home / TRAINING_FOLDER


def _read(path: Path) -> Scenario:
    try:
        raw = read_input_file(path, max_bytes=MAX_SCENARIO_BYTES)
        source_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        message = text(
            "training.error", source=path.name, field="-", reason=text("training.not_utf8")
        )
        raise ScenarioError(message, source=path.name) from None
    except UserFacingError as error:
        raise ScenarioError(error.message, source=path.name) from None
    return parse_scenario(source_text, path.name)


def load_scenarios(*folders: Path | None) -> ScenarioSet:
    """Every ``*.toml`` of ``folders`` (later folders replace same-named files)."""
    found: dict[str, Scenario] = {}
    problems: list[ScenarioError] = []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                scenario = _read(path)
            except ScenarioError as error:
                problems.append(error)
                found.pop(path.stem, None)
                continue
            found[scenario.id] = scenario
    ordered = sorted(found.values(), key=lambda s: (s.order, s.id))
    return ScenarioSet(tuple(ordered), tuple(problems))
