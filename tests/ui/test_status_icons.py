"""Every status a view shows has its icon in one map, and the icon file exists."""

from enum import StrEnum

import pytest

from desktop_app.core.recipients.status_wording import LineState
from desktop_app.services.paths import resource_folder
from desktop_app.ui.status_icons import (
    ANSWER_ICONS,
    LINE_ICONS,
    MARK_ICONS,
    TOKEN_ICONS,
    AnswerMark,
    MessageMark,
    TokenState,
    line_words,
    state_words,
)

ICONS = resource_folder() / "icons"
MAPS: tuple[tuple[type[StrEnum], dict[StrEnum, str]], ...] = (
    (TokenState, dict(TOKEN_ICONS)),
    (LineState, dict(LINE_ICONS)),
    (MessageMark, dict(MARK_ICONS)),
    (AnswerMark, dict(ANSWER_ICONS)),
)


@pytest.mark.parametrize(("kind", "icons"), MAPS, ids=[kind.__name__ for kind, _ in MAPS])
def test_every_status_kind_has_an_icon_that_exists_in_resources(
    kind: type[StrEnum], icons: dict[StrEnum, str]
) -> None:
    assert set(icons) == set(kind)
    for state, name in icons.items():
        assert (ICONS / f"{name}.svg").is_file(), (state, name)


def test_every_recipient_and_verdict_icon_has_words_for_screen_readers() -> None:
    for token in TokenState:
        assert state_words(token)
    for line in LineState:
        assert line_words(line)
    assert line_words(LineState.ENCRYPTED) != line_words(LineState.BLOCKED)
