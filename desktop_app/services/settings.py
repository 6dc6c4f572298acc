"""The user's settings, each declared once with a typed key, a default and a description.

Stored as JSON in ``<home>/settings.json`` (replaced whole). An unknown key is kept as it
was; a value that is not one the setting allows reads as its default, so a damaged file
never stops the program.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Generic, TypeVar

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.files import replace_file

SETTINGS_FILE_NAME = "settings.json"
E = TypeVar("E", bound=StrEnum)


class SettingsError(UserFacingError):
    """The settings file cannot be written."""


class Appearance(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True)
class ChoiceSetting(Generic[E]):
    """A setting whose value is one member of ``kind``."""

    key: str
    kind: type[E]
    default: E
    description: str

    def parse(self, value: object) -> E:
        """``value`` as a member of ``kind``; the default for anything else."""
        for member in self.kind:
            if member.value == value:
                return member
        return self.default


APPEARANCE = ChoiceSetting(
    "appearance", Appearance, Appearance.SYSTEM, text("settings.description_appearance")
)
DECLARED = (APPEARANCE,)


class Settings:
    """The settings file of one home."""

    def __init__(self, home: Path) -> None:
        self._path = home / SETTINGS_FILE_NAME

    @property
    def path(self) -> Path:
        return self._path

    def _document(self) -> dict[str, object]:
        try:
            document = json.loads(self._path.read_bytes())
        except (OSError, ValueError):
            return {}
        return document if isinstance(document, dict) else {}

    def get(self, setting: ChoiceSetting[E]) -> E:
        return setting.parse(self._document().get(setting.key, setting.default.value))

    def set(self, setting: ChoiceSetting[E], value: E) -> None:
        """Raises SettingsError when the file cannot be written (nothing changed)."""
        document = self._document()
        document[setting.key] = setting.parse(value).value
        data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(self._path, data.encode("utf-8"))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise SettingsError(
                text("settings.cannot_save", path=self._path, reason=reason)
            ) from None
