"""Every message key the code asks for by name exists, and every template parses."""

import re
import string
from pathlib import Path

from desktop_app.core.messages import MESSAGES

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"
CALL = re.compile(r"""\btext\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""")


def _keys_in_code() -> set[str]:
    return {key for path in PACKAGE.rglob("*.py") for key in CALL.findall(path.read_text("utf-8"))}


def test_every_key_asked_for_exists() -> None:
    missing = sorted(_keys_in_code() - MESSAGES.keys())
    assert missing == []


def test_every_template_is_a_valid_format_string() -> None:
    for key, template in MESSAGES.items():
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
        assert all(name.isidentifier() for name in fields), key
