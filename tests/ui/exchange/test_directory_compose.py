"""The compose window asks the Exchange directory: tokens turn blue only once it answered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.recipients.status import Field, StatusCode
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ews_server import EwsTestServer
from tests.ui.conftest import settled
from tests.work import SentRequest, Sleeps


def open_window(qtbot: QtBot, context: ComposeContext) -> ComposeWindow:
    window = ComposeWindow(context, ComposeStart())
    qtbot.addWidget(window)
    window.show()
    return window


def type_recipients(qtbot: QtBot, window: ComposeWindow, value: str) -> None:
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, value)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def token(window: ComposeWindow, row: int) -> tuple[TokenState, str, StatusCode | None]:
    index = window.session.models[Field.TO].index(row)
    status = index.data(RecipientListModel.STATUS_ROLE)
    return (
        index.data(RecipientListModel.STATE_ROLE),
        index.data(Qt.ItemDataRole.ToolTipRole),
        status.code if status is not None else None,
    )


def test_directory_certificates_turn_tokens_blue_only_once_the_directory_answered(
    qtbot: QtBot,
    exchange_context: ComposeContext,
    directory: EwsTestServer,
    sent_requests: list[SentRequest],
) -> None:
    directory.state.faults.latency = 0.3  # every answer takes a while
    window = open_window(qtbot, exchange_context)
    type_recipients(qtbot, window, "alice@clinic.example, bob@clinic.example")
    # Asked, not answered: grey, and the message is not Encrypted.
    assert [token(window, row)[0] for row in (0, 1)] == [TokenState.CHECKING] * 2
    assert window.status_line.property("state") == LineState.CHECKING
    settled(qtbot, window)
    # The window kept its event loop free while the directory was asked: not one request
    # went out from the GUI thread (counted, where a stall in milliseconds depends on load).
    assert sent_requests and not [request for request in sent_requests if request.on_main_thread]
    assert [token(window, row)[0] for row in (0, 1)] == [TokenState.COVERED] * 2
    assert window.status_line.property("state") == LineState.ENCRYPTED
    assert "ResolveNames" in directory.state.operations


def test_a_list_is_one_token_blue_only_when_every_member_is_covered(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    window = open_window(qtbot, exchange_context)
    type_recipients(qtbot, window, "mixed@clinic.example")
    settled(qtbot, window)
    assert window.session.models[Field.TO].rowCount() == 1
    state, tooltip, code = token(window, 0)
    assert (state, code) == (TokenState.NOT_COVERED, StatusCode.NO_CERTIFICATE)
    assert "nocert@clinic.example" in tooltip and "alice@clinic.example" not in tooltip
    assert window.status_line.property("state") != LineState.ENCRYPTED

    covered = open_window(qtbot, exchange_context)
    type_recipients(qtbot, covered, "covered@clinic.example")
    settled(qtbot, covered)
    assert token(covered, 0)[0] == TokenState.COVERED
    assert covered.status_line.property("state") == LineState.ENCRYPTED


def test_later_checks_use_what_the_directory_said_without_asking_again(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    window = open_window(qtbot, exchange_context)
    type_recipients(qtbot, window, "alice@clinic.example, covered@clinic.example")
    settled(qtbot, window)
    asked = len(directory.state.operations)
    type_recipients(qtbot, window, "nocert@clinic.example")
    settled(qtbot, window)
    later = directory.state.operations[asked:]
    # Only the new address goes to the server: one ResolveNames, and its MailTips.
    assert sorted(later) == ["GetMailTips", "ResolveNames"]
    assert [token(window, row)[0] for row in range(3)] == [
        TokenState.COVERED,
        TokenState.COVERED,
        TokenState.NOT_COVERED,
    ]


def test_an_unreachable_directory_leaves_recipients_unresolved_with_the_reason(
    qtbot: QtBot,
    exchange_context: ComposeContext,
    directory: EwsTestServer,
    settings: ExchangeSettings,
    sleeps: Sleeps,
    sent_requests: list[SentRequest],
) -> None:
    directory.stop()
    window = open_window(qtbot, exchange_context)
    type_recipients(qtbot, window, "alice@clinic.example, mixed@clinic.example")
    settled(qtbot, window)
    # Told within seconds, counted: no waiting between tries, each try bounded by the
    # configured timeout, none from the GUI thread.
    assert sleeps.asked == []
    assert {request.timeout for request in sent_requests} == {settings.timeout}
    assert not [request for request in sent_requests if request.on_main_thread]
    for row in (0, 1):
        state, tooltip, code = token(window, row)
        assert (state, code) == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)
        assert "could not be reached" in tooltip
    assert window.status_line.property("state") != LineState.ENCRYPTED
    # The window kept answering while the lookup ran in the background.
    window.subject.setText("still typing")
    assert window.subject.text() == "still typing"


def test_a_directory_that_does_not_answer_in_time_leaves_recipients_unresolved(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    directory.state.faults.add("timeout", "ResolveNames", times=10)
    window = open_window(qtbot, exchange_context)
    type_recipients(qtbot, window, "alice@clinic.example")
    settled(qtbot, window)
    state, tooltip, code = token(window, 0)
    assert (state, code) == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)
    assert "did not answer in time" in tooltip
    assert window.status_line.property("state") != LineState.ENCRYPTED
