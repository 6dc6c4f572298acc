"""The compose window: live tokens and status line, all read from the one rule."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.messages import text
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import parse_address_list
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Field, Overall, StatusCode
from desktop_app.core.recipients.status_wording import LineState
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.mailbox.source import read_message
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.session import ComposeStart
from desktop_app.ui.compose.starts import compose_start
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.status_icons import TokenState
from tests.ui.conftest import (
    ME,
    ContextFactory,
    HeldLookup,
    WindowFactory,
    settled,
)

INBOX = Path(__file__).resolve().parents[2] / "resources" / "demo" / "inbox"
MOTIVATING = INBOX / "01-referral-results.eml"


def token_states(window: ComposeWindow, field: Field) -> dict[str, TokenState]:
    model = window.session.models[field]
    return {
        model.index(row).data(RecipientListModel.ENTRY_ROLE).written: model.index(row).data(
            RecipientListModel.STATE_ROLE
        )
        for row in range(model.rowCount())
    }


def line_state(window: ComposeWindow) -> str:
    return str(window.status_line.property("state"))


def test_typing_recipients_updates_each_token_and_the_status_line(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    assert window.status_line.headline.text() == text("status_line.not_encrypted")
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, "Priya Shah <priya@clinic.example>,")
    settled(qtbot, window)
    buttons = window.fields[Field.TO].tokens()
    assert [b.text() for b in buttons] == ["Priya Shah"]
    assert buttons[0].property("tokenState") == TokenState.COVERED
    assert line_state(window) == LineState.ENCRYPTED
    assert window.status_line.headline.text() == text("status_line.encrypted")
    assert window.encrypt_toggle.isChecked()  # on by itself: everyone is covered

    qtbot.keyClicks(editor, "dana@partner.example")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # At once, before any lookup answers, the line no longer says Encrypted.
    assert line_state(window) in (LineState.CHECKING, LineState.BLOCKED)
    settled(qtbot, window)
    assert token_states(window, Field.TO) == {
        "Priya Shah <priya@clinic.example>": TokenState.COVERED,
        "dana@partner.example": TokenState.NOT_COVERED,
    }
    dana = window.fields[Field.TO].tokens()[1]
    assert dana.text() == "dana@partner.example · " + text("token.no_certificate")
    assert "No certificate is known for dana@partner.example" in dana.toolTip()
    assert line_state(window) == LineState.BLOCKED
    assert window.status_line.headline.text() == text("status_line.not_encrypted")
    assert window.status_line.summary.text() == text(
        "status_line.impossible", summary="1 of 2 recipients cannot read encrypted mail."
    )

    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # empty editor: removes the last token
    settled(qtbot, window)
    assert line_state(window) == LineState.ENCRYPTED


def test_pasting_a_list_makes_tokens_and_an_invalid_address_an_error_token(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    model = window.session.models[Field.CC]
    model.add_text('lee@clinic.example, "Smith, J" <j@partner.example>; bob@')
    settled(qtbot, window)
    states = token_states(window, Field.CC)
    assert states == {
        "lee@clinic.example": TokenState.COVERED,
        '"Smith, J" <j@partner.example>': TokenState.NOT_COVERED,
        "bob@": TokenState.INVALID,
    }
    smith = model.index(1).data(RecipientListModel.ENTRY_ROLE).mailbox
    assert smith.display_name == "Smith, J"
    error = window.fields[Field.CC].tokens()[2]
    assert error.property("tokenState") == TokenState.INVALID
    assert "“bob@” has no domain" in error.toolTip()
    # Clicking the error token puts the text back for editing.
    qtbot.mouseClick(error, Qt.MouseButton.LeftButton)
    assert window.fields[Field.CC].editor.text() == "bob@"
    assert model.rowCount() == 2


def test_an_unquoted_comma_in_a_name_stays_one_error_that_suggests_quotes(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    window.session.models[Field.TO].add_text("Smith, John <john@partner.example>")
    [entry] = window.session.models[Field.TO].entries()
    assert entry.mailbox is None
    assert '“"Smith, John" <john@partner.example>”' in (entry.error or "")


def test_a_pending_lookup_never_shows_encrypted(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory, lookup: ComposeEvidence
) -> None:
    held = HeldLookup(lookup)
    context = make_context(lookup_provider=lambda: held)
    start = ComposeStart(to=parse_address_list("priya@clinic.example, lee@clinic.example"))
    window = open_compose(start, context=context, settle=False)
    try:
        qtbot.wait(50)
        session = window.session
        assert session.checking
        assert session.status.overall is Overall.NOT_ENCRYPTED
        assert {r.code for r in session.status.recipients} == {StatusCode.UNRESOLVED}
        assert line_state(window) == LineState.CHECKING
        assert window.status_line.headline.text() == text("status_line.not_encrypted")
        assert set(token_states(window, Field.TO).values()) == {TokenState.CHECKING}
        assert not window.encrypt_toggle.isChecked()
    finally:
        held.release()
    settled(qtbot, window)
    assert line_state(window) == LineState.ENCRYPTED


def reply_all_window(open_compose: WindowFactory, path: Path = MOTIVATING) -> ComposeWindow:
    detail = read_message(path.name, path.read_bytes())
    start = compose_start(ComposeAction.REPLY_ALL, detail, frozenset({ME.key}))
    return open_compose(start)


def test_reply_all_on_the_motivating_message_is_not_encrypted_like_a_new_message(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    reply = reply_all_window(open_compose)
    assert reply.windowTitle().endswith(text("compose.title_reply_all"))
    assert token_states(reply, Field.TO) == {
        "Dana Whitfield <dana@partner.example>": TokenState.NOT_COVERED
    }
    assert token_states(reply, Field.CC) == {
        '"Lee, Dr. Jordan" <lee@clinic.example>': TokenState.COVERED
    }
    assert [b.text() for b in reply.fields[Field.TO].tokens()] == [
        "Dana Whitfield · " + text("token.no_certificate")
    ]
    assert reply.status_line.headline.text() == text("status_line.not_encrypted")
    assert reply.session.status.overall is Overall.NOT_ENCRYPTED

    new = open_compose()
    new.session.models[Field.TO].add_text("Dana Whitfield <dana@partner.example>")
    new.session.models[Field.CC].add_text('"Lee, Dr. Jordan" <lee@clinic.example>')
    settled(qtbot, new)
    assert new.session.status == reply.session.status
    assert new.status_line.summary.text() == reply.status_line.summary.text()
    assert token_states(new, Field.TO) == {
        "Dana Whitfield <dana@partner.example>": TokenState.NOT_COVERED
    }


def test_reply_to_an_encrypted_message_turns_encrypt_on(
    qtbot: QtBot, open_compose: WindowFactory, tmp_path: Path
) -> None:
    raw = MOTIVATING.read_bytes().replace(
        b"Content-Type: text/plain; charset=utf-8",
        b'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
    )
    detail = read_message("encrypted.eml", raw)
    start = compose_start(ComposeAction.REPLY, detail, frozenset({ME.key}))
    assert start.original_encrypted
    window = open_compose(start, context=None)
    assert window.encrypt_toggle.isChecked()
    assert line_state(window) == LineState.BLOCKED  # on, and Dana has no certificate


def test_encrypt_stays_on_and_the_status_says_so_when_a_change_makes_it_impossible(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory
) -> None:
    window = open_compose(context=make_context(policy=Policy()))
    window.session.models[Field.TO].add_text("priya@clinic.example")
    settled(qtbot, window)
    assert window.encrypt_toggle.isChecked() and window.encrypt_toggle.isEnabled()
    window.session.models[Field.BCC].add_text("taylor@clinic.example")
    assert line_state(window) != LineState.ENCRYPTED  # at once
    settled(qtbot, window)
    assert window.encrypt_toggle.isChecked()
    assert line_state(window) == LineState.BLOCKED
    assert text("status_line.impossible", summary="").rstrip() in window.status_line.summary.text()
    window.encrypt_toggle.click()  # the user may turn it off when the policy allows
    assert line_state(window) == LineState.OFF


def test_the_policy_can_hold_encrypt_and_sign_on(
    qtbot: QtBot, open_compose: WindowFactory, make_context: ContextFactory
) -> None:
    strict = Policy(require_encryption=RequireEncryption.ALWAYS, always_sign=True)
    window = open_compose(context=make_context(policy=strict))
    window.session.models[Field.TO].add_text("taylor@clinic.example")
    settled(qtbot, window)
    assert window.encrypt_toggle.isChecked() and not window.encrypt_toggle.isEnabled()
    assert window.sign_toggle.isChecked() and not window.sign_toggle.isEnabled()
    window.session.set_encrypt(False)
    assert window.session.encrypt_on
    assert text("compose.encrypt_required_note") in window.policy_note.text()


def test_clicking_a_token_opens_the_certificate_details(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    window.session.models[Field.TO].add_text("lee@clinic.example, pat@clinic.example")
    settled(qtbot, window)
    lee, pat = window.fields[Field.TO].tokens()
    qtbot.mouseClick(pat, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.details_dialog is not None, timeout=5_000)
    dialog = window.details_dialog
    assert dialog is not None
    shown = "\n".join(
        label.text() for label in dialog.findChildren(type(window.status_line.summary))
    )
    assert "p.quinn@northside-lab.example" in shown
    assert "not pat@clinic.example" in shown
    assert "smime-guard Demo CA (throwaway)" in shown
    assert text("details.source_directory") in shown
    dialog.close()
    window.details_dialog = None
    qtbot.mouseClick(lee, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.details_dialog is not None, timeout=5_000)
    shown = "\n".join(
        label.text()
        for label in window.details_dialog.findChildren(type(window.status_line.summary))
    )
    assert text("details.usable") in shown and "EC P-256" in shown


def test_a_lookalike_domain_is_shown_in_ascii_and_warned_about(
    qtbot: QtBot, open_compose: WindowFactory
) -> None:
    window = open_compose()
    window.session.models[Field.TO].add_text("Jordan Lee <lee@cl\u0456nic.example>")
    settled(qtbot, window)
    [token] = window.fields[Field.TO].tokens()
    assert token.text().startswith("lee@xn--clnic-o2e.example")
    assert "mixes Cyrillic and Latin" in token.toolTip()
    assert "mixes Cyrillic and Latin" in window.status_line.notices.text()
    assert window.status_line.notices.isVisible()
