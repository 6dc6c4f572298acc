"""X.500 addresses typed or pasted into a compose field are resolved through the directory.

The token then shows the primary SMTP address and is judged by its certificates; one the
directory does not know stays unresolved (red). None is ever blue before the answer.
Runs the real exchangelib stack over HTTP against the EWS test server.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.recipients.status import Field, StatusCode
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import LEGACY_ROOT
from tests.services.exchange.test_lookup import imceaex
from tests.ui.conftest import WindowFactory, settled

ALICE_DN = f"{LEGACY_ROOT}/cn=alice"
BOB_DN = f"{LEGACY_ROOT}/cn=bob"


def open_window(qtbot: QtBot, context: ComposeContext) -> ComposeWindow:
    window = ComposeWindow(context, ComposeStart())
    qtbot.addWidget(window)
    window.show()
    return window


def type_into(qtbot: QtBot, window: ComposeWindow, value: str) -> None:
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, value)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def tokens(window: ComposeWindow) -> list[tuple[str, TokenState, StatusCode | None]]:
    model = window.session.models[Field.TO]
    shown = []
    for row in range(model.rowCount()):
        index = model.index(row)
        status = index.data(RecipientListModel.STATUS_ROLE)
        shown.append(
            (
                index.data(Qt.ItemDataRole.DisplayRole),
                index.data(RecipientListModel.STATE_ROLE),
                status.code if status is not None else None,
            )
        )
    return shown


def with_legacy_dns(directory: EwsTestServer) -> EwsTestServer:
    directory.state.entries["alice@clinic.example"].legacy_dn = ALICE_DN
    directory.state.entries["bob@clinic.example"].legacy_dn = BOB_DN
    return directory


def test_typed_imceaex_and_pasted_legacy_dn_show_the_smtp_address_and_turn_blue(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    with_legacy_dns(directory).state.faults.latency = 0.2
    window = open_window(qtbot, exchange_context)
    seen: list[tuple[str, TokenState]] = []
    model = window.session.models[Field.TO]

    def record(*_: object) -> None:
        seen.extend((label, state) for label, state, _ in tokens(window))

    model.dataChanged.connect(record)
    type_into(qtbot, window, imceaex(ALICE_DN, "clinic.example"))
    window.fields[Field.TO].editor.setText(BOB_DN)  # pasted as Outlook shows it
    qtbot.keyClick(window.fields[Field.TO].editor, Qt.Key.Key_Return)
    # Asked, not answered: grey, the message is not Encrypted.
    assert [state for _, state, _ in tokens(window)] == [TokenState.CHECKING] * 2
    assert window.status_line.property("state") == LineState.CHECKING
    settled(qtbot, window)

    assert tokens(window) == [
        ("alice@clinic.example", TokenState.COVERED, StatusCode.OK),
        ("bob@clinic.example", TokenState.COVERED, StatusCode.OK),
    ]
    assert window.status_line.property("state") == LineState.ENCRYPTED
    # Blue only ever under the SMTP address, after the directory answered.
    assert {label for label, state in seen if state is TokenState.COVERED} <= {
        "alice@clinic.example",
        "bob@clinic.example",
    }
    requests = b"".join(directory.state.requests)
    assert ALICE_DN.encode() in requests and BOB_DN.encode() in requests
    assert b"IMCEAEX" not in requests  # ResolveNames does not match the raw form
    # Resolving gave the certificates too: the SMTP addresses were not asked again.
    entries = (
        re.search(rb"<m:UnresolvedEntry>(.*?)</m:UnresolvedEntry>", body)
        for body in directory.state.requests_of("ResolveNames")
    )
    asked = [match.group(1) if match else b"" for match in entries]
    assert sorted(asked) == sorted([ALICE_DN.encode(), BOB_DN.encode(), b"me@clinic.example"])
    # The draft holds the SMTP addresses: what is sealed and sent.
    assert [m.address for m in window.session.draft().to] == [
        "alice@clinic.example",
        "bob@clinic.example",
    ]


def test_an_x500_address_the_directory_does_not_know_is_unresolved_and_red(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    window = open_window(qtbot, exchange_context)
    unknown = f"{LEGACY_ROOT}/cn=gone"
    type_into(qtbot, window, f"{unknown}; alice@clinic.example")
    settled(qtbot, window)

    (gone_label, gone_state, gone_code), alice = tokens(window)
    assert (gone_state, gone_code) == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)
    assert gone_label == "gone (X.500) · unresolved"  # the DN itself is in the tooltip
    assert alice[1:] == (TokenState.COVERED, StatusCode.OK)
    assert window.status_line.property("state") != LineState.ENCRYPTED


def test_an_unreachable_directory_leaves_an_x500_address_unresolved(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    directory.stop()
    window = open_window(qtbot, exchange_context)
    type_into(qtbot, window, imceaex(ALICE_DN, "clinic.example"))
    settled(qtbot, window)
    [(label, state, code)] = tokens(window)
    assert (state, code) == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)
    assert label == "alice (X.500) · unresolved"


def test_an_x500_address_typed_again_after_a_failure_is_asked_again(
    qtbot: QtBot, exchange_context: ComposeContext, directory: EwsTestServer
) -> None:
    with_legacy_dns(directory).state.faults.add("http500", "ResolveNames", times=50)
    window = open_window(qtbot, exchange_context)
    type_into(qtbot, window, ALICE_DN)
    settled(qtbot, window)
    assert tokens(window)[0][1:] == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)
    directory.state.faults.clear()
    window.fields[Field.TO].edit_row(0)  # back into the editor, as a click on it does
    qtbot.keyClick(window.fields[Field.TO].editor, Qt.Key.Key_Return)
    settled(qtbot, window)
    assert tokens(window) == [("alice@clinic.example", TokenState.COVERED, StatusCode.OK)]


def test_without_exchange_an_x500_address_stays_unresolved(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    type_into(qtbot, window, "/o=Clinic/ou=Exchange Administrative Group/cn=Recipients/cn=x")
    settled(qtbot, window)
    [(_, state, code)] = tokens(window)
    assert (state, code) == (TokenState.NOT_COVERED, StatusCode.UNRESOLVED)


def test_a_pasted_list_with_a_bare_legacy_dn_makes_one_token_each() -> None:
    from desktop_app.core.recipients.address_entries import entries_for

    entries = entries_for(f"alice@clinic.example; {ALICE_DN}, bob@")
    assert [(e.written, e.mailbox is not None) for e in entries] == [
        ("alice@clinic.example", True),
        (ALICE_DN, True),
        ("bob@", False),
    ]
    [single] = entries_for(ALICE_DN)
    assert single.mailbox is not None and single.mailbox.legacy_dn == ALICE_DN
