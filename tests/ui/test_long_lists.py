"""Long recipient lists: the verdict covers every pasted address at once, the tokens follow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import Field, Overall
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.ui.compose import token_field
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.token_field import TokenField
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ui.conftest import WindowFactory, settled

COUNT = 200


class _SteppingClock:
    """A perf_counter that moves 1 ms each time it is read: the token field's batches (6 ms
    of work each) then hold a handful of tokens on every machine, fast or busy, and these
    tests see the list come in over many batches rather than whatever the clock allows."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 0.001
        return self.now


@pytest.fixture(autouse=True)
def _batches_by_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(token_field, "time", _SteppingClock())


def covered_then_not(count: int) -> list[str]:
    """``count`` addresses: covered colleagues, one invalid, one with no certificate last.

    Any prefix of the list short of the end is fully covered (but for the invalid one,
    which the rule does not count), so a verdict over part of the list would say Encrypted.
    """
    covered = [
        f"Priya Shah {n} <priya@clinic.example>"
        if n % 2
        else f"Jordan Lee {n} <lee@clinic.example>"
        for n in range(count - 2)
    ]
    covered.insert(count // 2, "bob@")
    return [*covered, "dana@partner.example"]


def paste(window: ComposeWindow, field: Field, addresses: list[str]) -> None:
    editor = window.fields[field].editor
    editor.setFocus()
    QGuiApplication.clipboard().setText(", ".join(addresses))
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def shows_model(field: TokenField) -> bool:
    """True when token i shows row i of the model: its text and its state."""
    model = field.model
    tokens = field.tokens()
    return len(tokens) == model.rowCount() and all(
        token.text() == model.index(row).data(Qt.ItemDataRole.DisplayRole)
        and token.property("tokenState") == model.index(row).data(RecipientListModel.STATE_ROLE)
        for row, token in enumerate(tokens)
    )


def test_a_200_address_paste_ends_with_200_tokens_and_is_never_encrypted_on_the_way(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    field = window.fields[Field.TO]
    seen: list[tuple[int, str, str]] = []  # tokens shown, line state, headline

    def sample() -> None:
        line = window.status_line
        seen.append((len(field.tokens()), str(line.property("state")), line.headline.text()))

    sampler = QTimer()
    sampler.setInterval(0)  # every turn of the event loop, between the batches of tokens
    sampler.timeout.connect(sample)
    window.session.changed.connect(sample)
    sampler.start()
    paste(window, Field.TO, covered_then_not(COUNT))
    # The model and the verdict take the whole list at once; the tokens come later.
    assert window.session.models[Field.TO].rowCount() == COUNT
    assert window.session.checking
    sample()
    settled(qtbot, window)
    sampler.stop()
    sample()

    on_the_way = [entry for entry in seen if entry[0] < COUNT]
    assert len({shown for shown, _, _ in on_the_way}) > 2  # sampled while tokens came in
    encrypted = text("status_line.encrypted")
    for shown, state, headline in on_the_way:
        assert state != LineState.ENCRYPTED and headline != encrypted, shown
    assert not window.encrypt_toggle.isChecked() or window.session.encryption_required

    assert len(field.tokens()) == COUNT
    assert shows_model(field)
    states = [token.property("tokenState") for token in field.tokens()]
    assert states.count(TokenState.INVALID) == 1
    assert states[COUNT // 2] == TokenState.INVALID
    assert states[-1] == TokenState.NOT_COVERED
    assert states.count(TokenState.COVERED) == COUNT - 2
    assert window.session.status.overall is Overall.NOT_ENCRYPTED
    assert str(window.status_line.property("state")) == LineState.BLOCKED
    assert window.status_line.headline.text() == text("status_line.not_encrypted")
    # The field stops growing after a few lines and scrolls; the editor stays in sight.
    assert field.height() < window.height() // 3
    scroll_bar = field.token_scroll.verticalScrollBar()
    editor = field.editor
    qtbot.waitUntil(  # once the last relayout has run
        lambda: editor.visibleRegion().boundingRect().height() == editor.height(), timeout=2_000
    )
    assert scroll_bar.maximum() > 0 and scroll_bar.value() == scroll_bar.maximum()


def test_tokens_follow_removals_and_additions_while_a_long_list_comes_in(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    field = window.fields[Field.CC]
    model = window.session.models[Field.CC]
    addresses = [f"Staff {n} <staff{n}@clinic.example>" for n in range(COUNT)]
    expected = list(addresses)

    def remove(row: int) -> None:
        model.remove_row(row)
        del expected[row]

    paste(window, Field.CC, addresses)
    remove(0)  # before any token of the paste exists
    qtbot.waitUntil(lambda: len(field.tokens()) > 0)
    shown = len(field.tokens())
    assert shown < model.rowCount()
    remove(shown // 2)  # a token already shown
    remove(model.rowCount() - 10)  # a row whose token is still to come
    model.add_text("priya@clinic.example, bob@")
    settled(qtbot, window)
    assert [entry.written for entry in model.entries()] == [
        *expected,
        "priya@clinic.example",
        "bob@",
    ]
    assert shows_model(field)
    assert field.tokens()[-2].property("tokenState") == TokenState.COVERED

    qtbot.mouseClick(field.tokens()[-1], Qt.MouseButton.LeftButton)
    assert field.editor.text() == "bob@"  # the invalid token came back for editing
    settled(qtbot, window)
    assert shows_model(field)
