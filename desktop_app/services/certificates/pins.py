"""The certificates the user pinned, one per address, in the home folder."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "pins.json"


def load_pins(home: Path) -> dict[str, str]:
    """Fingerprint by normalised address; an unreadable file counts as no pins."""
    try:
        document = json.loads((home / FILE_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("the pins file could not be read; no certificate is pinned")
        return {}
    if not isinstance(document, dict):
        return {}
    return {str(k): str(v) for k, v in document.items() if isinstance(v, str)}


def save_pins(home: Path, pins: Mapping[str, str]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    partial = home / (FILE_NAME + ".partial")
    partial.write_text(json.dumps(dict(sorted(pins.items())), indent=2), encoding="utf-8")
    partial.replace(home / FILE_NAME)


def drop_pins(home: Path, keys: Iterable[str]) -> None:
    """Forget the pins of ``keys`` (their certificates stopped being usable)."""
    pins = load_pins(home)
    gone = [key for key in keys if key in pins]
    if gone:
        for key in gone:
            del pins[key]
        save_pins(home, pins)
