"""The certificate life cycle in the window, driven through the real dialog and windows:
pinning one of several certificates, accepting a new key, and the banner about the
user's own certificate running out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.identity import identity_of
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.pki.trust import TrustContext
from desktop_app.core.policy.model import Policy
from desktop_app.core.recipients.status import Field
from desktop_app.core.smime.errors import EnvelopeError
from desktop_app.core.smime.open_message import open_message
from desktop_app.services.certificates.pins import load_pins, save_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.identity_store import save_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path
from desktop_app.services.policy_files import PolicyLoad
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.compose.certificate_choices import short_fingerprint
from desktop_app.ui.compose.certificate_dialog import CertificateDialog
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.own_certificate_banner import OwnCertificateBanner, own_expiry_words
from desktop_app.ui.theme import Theme
from tests.factories.certs import NOW, Issued, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import settled

CA = TestCA("Lifecycle Root")
BOB = "bob@clinic.example"
BOB_OLDER = CA.issue([BOB], slot=1, not_after=NOW + dt.timedelta(days=200))
BOB_NEWER = CA.issue([BOB], slot=2, not_after=NOW + dt.timedelta(days=400))
BOB_EXPIRED = CA.issue([BOB], slot=3, not_after=NOW - dt.timedelta(days=1))
OLDER, NEWER = fingerprint_sha256(BOB_OLDER.cert), fingerprint_sha256(BOB_NEWER.cert)


def own(days_left: int) -> Issued:
    return CA.issue(["me@clinic.example"], not_after=NOW + dt.timedelta(days=days_left))


ME = own(300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        for issued in (BOB_OLDER, BOB_NEWER, BOB_EXPIRED):
            store.add_certificate(issued.cert, Source.IMPORTED, NOW)
    return home


@pytest.fixture
def app(qapp: QApplication, home: Path, theme: Theme) -> Iterator[Application]:
    keyring = InMemoryKeyring()
    save_identity(home, identity_of(ME.cert, ME.key, (), source="test"), SecretStore(keyring))
    running = Application(
        qapp,
        access=MailAccess(home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring)),
        demo_user=None,
        policy=PolicyLoad(Policy()),
        theme=theme,
    )
    running.main_window()
    yield running
    for window in list(running.compose_windows):
        window.discard()
    running.shutdown()


def compose_to_bob(qtbot: QtBot, app: Application) -> ComposeWindow:
    window = app.compose("new", None)
    assert isinstance(window, ComposeWindow)
    editor = window.fields[Field.TO].editor
    qtbot.keyClicks(editor, BOB)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    window.subject.setText("Results")
    window.body.setPlainText("Fine.\n")
    settled(qtbot, window)
    return window


def in_use(window: ComposeWindow) -> str | None:
    (bob,) = window.session.status.recipients
    return bob.certificate.fingerprint if bob.certificate is not None else None


def open_details(qtbot: QtBot, window: ComposeWindow) -> CertificateDialog:
    window.details_dialog = None
    (token,) = window.fields[Field.TO].tokens()
    qtbot.mouseClick(token, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.details_dialog is not None, timeout=5_000)
    dialog = window.details_dialog
    assert dialog is not None
    return dialog


def buttons(dialog: CertificateDialog, name: str) -> list[QPushButton]:
    return [b for b in dialog.findChildren(QPushButton) if b.objectName() == name]


def tab_walk(qtbot: QtBot, dialog: CertificateDialog) -> list[QWidget]:
    """The widgets Tab visits from the dialog's first focus, once round."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=5_000)
    seen: list[QWidget] = []
    for _ in range(20):
        current = dialog.focusWidget()
        assert current is not None
        seen.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    return seen


def shown_text(dialog: CertificateDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def choose(qtbot: QtBot, window: ComposeWindow, dialog: CertificateDialog, button: QPushButton):
    button.setFocus()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.keyClick(button, Qt.Key.Key_Space)  # the keyboard reaches every choice
    settled(qtbot, window)


def test_pinning_another_certificate_changes_what_is_used_and_survives_reopening(
    qtbot: QtBot, app: Application, home: Path
) -> None:
    window = compose_to_bob(qtbot, app)
    assert in_use(window) == NEWER  # the newest valid one, as before
    dialog = open_details(qtbot, window)
    shown = shown_text(dialog)
    assert "newest valid" in shown and "Cannot be used" in shown  # the expired one is listed
    (use,) = buttons(dialog, "useCertificate")  # the other usable one; never the expired
    assert use.property("fingerprint") == OLDER
    assert BOB in use.accessibleName()
    assert use in tab_walk(qtbot, dialog)  # reached with the keyboard alone

    choose(qtbot, window, dialog, use)

    assert in_use(window) == OLDER  # the lookup, then the one rule, chose it
    assert load_pins(home) == {BOB: OLDER}
    again = open_details(qtbot, window)
    assert "you chose" in shown_text(again)
    assert [b.property("fingerprint") for b in buttons(again, "useCertificate")] == [NEWER]
    again.close()
    window.discard()
    # A new window (a later start) uses the pin too, and so does the seal.
    window = compose_to_bob(qtbot, app)
    assert in_use(window) == OLDER
    with qtbot.waitSignal(window.sent, timeout=10_000):
        window.send_button.click()
    (sealed,) = sorted((home / "outbox").glob("*.eml"))
    trust = TrustContext(anchors=(CA.cert,))
    older = identity_of(BOB_OLDER.cert, BOB_OLDER.key, (), source="test")
    opened = open_message(sealed.read_bytes(), identity=older, trust=trust, at=NOW)
    assert opened.encryption is not None and opened.message.text == "Fine.\n"
    newer = identity_of(BOB_NEWER.cert, BOB_NEWER.key, (), source="test")
    with pytest.raises(EnvelopeError):  # sealed to the pinned certificate only
        open_message(sealed.read_bytes(), identity=newer, trust=trust, at=NOW)


def test_removing_the_pin_goes_back_to_the_newest(
    qtbot: QtBot, app: Application, home: Path
) -> None:
    window = compose_to_bob(qtbot, app)
    dialog = open_details(qtbot, window)
    (use,) = buttons(dialog, "useCertificate")
    choose(qtbot, window, dialog, use)
    assert in_use(window) == OLDER
    dialog = open_details(qtbot, window)
    (unpin,) = buttons(dialog, "unpinCertificate")
    choose(qtbot, window, dialog, unpin)
    assert in_use(window) == NEWER
    assert load_pins(home) == {}


def test_a_choice_that_cannot_be_saved_says_why_and_changes_nothing(
    qtbot: QtBot, app: Application, home: Path
) -> None:
    window = compose_to_bob(qtbot, app)
    dialog = open_details(qtbot, window)
    (use,) = buttons(dialog, "useCertificate")
    with CertStore.open(store_path(home)) as store:  # removed meanwhile (Certificates window)
        store.remove_certificate(OLDER)
    qtbot.keyClick(use, Qt.Key.Key_Space)
    failure = dialog.findChild(QLabel, "choicesFailure")
    qtbot.waitUntil(lambda: failure.isVisible(), timeout=10_000)
    assert text("choices.gone", address=BOB) in failure.text()
    assert dialog.isVisible() and use.isEnabled()
    assert load_pins(home) == {}
    assert in_use(window) == NEWER


def test_a_pin_whose_certificate_stopped_being_usable_is_forgotten(
    qtbot: QtBot, app: Application, home: Path
) -> None:
    save_pins(home, {BOB: fingerprint_sha256(BOB_EXPIRED.cert)})
    window = compose_to_bob(qtbot, app)
    assert in_use(window) == NEWER
    assert load_pins(home) == {}


def test_accepting_a_new_key_clears_the_mark(qtbot: QtBot, app: Application, home: Path) -> None:
    with CertStore.open(store_path(home)) as store:
        store.record_use(BOB, OLDER, NOW - dt.timedelta(days=3))  # last mail went to the old key
    window = compose_to_bob(qtbot, app)
    assert in_use(window) == NEWER
    codes = {notice.code for notice in window.session.status.notices}
    assert "key_changed" in codes
    (token,) = window.fields[Field.TO].tokens()
    assert "new key" in token.accessibleName() + token.toolTip()
    dialog = open_details(qtbot, window)
    before, now = (dialog.findChild(QLabel, name).text() for name in ("keyBefore", "keyNow"))
    assert short_fingerprint(OLDER) in before and text("details.source_imported") in before
    assert short_fingerprint(NEWER) in now
    (accept,) = buttons(dialog, "acceptKey")

    choose(qtbot, window, dialog, accept)

    assert "key_changed" not in {notice.code for notice in window.session.status.notices}
    (token,) = window.fields[Field.TO].tokens()
    assert "new key" not in token.accessibleName() + token.toolTip()
    assert in_use(window) == NEWER


def banner_after_start(
    qtbot: QtBot, qapp: QApplication, home: Path, theme: Theme, days_left: int
) -> OwnCertificateBanner | None:
    keyring = InMemoryKeyring()
    mine = own(days_left)
    save_identity(home, identity_of(mine.cert, mine.key, (), source="test"), SecretStore(keyring))
    app = Application(
        qapp,
        # the app's clock: frozen
        access=MailAccess(home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring)),
        demo_user=None,
        policy=PolicyLoad(Policy()),
        theme=theme,
    )
    try:
        window = app.main_window()
        painted: list[bool] = []
        window.firstPainted.connect(lambda: painted.append(True))  # after the app's own slots
        window.show()
        qtbot.waitUntil(lambda: bool(painted) and not app.runner.busy, timeout=10_000)
        banners = window.findChildren(OwnCertificateBanner)
        return banners[0] if banners else None
    finally:
        app.shutdown()


def test_the_own_certificate_banner_shows_at_10_days_left(
    qtbot: QtBot, qapp: QApplication, home: Path, theme: Theme
) -> None:
    banner = banner_after_start(qtbot, qapp, home, theme, days_left=10)
    assert banner is not None
    words = banner.message.text()
    assert "10 days" in words and "Tools > My certificate" in words and "administrator" in words
    assert banner.accessibleName()
    assert banner.open_button is not None


def test_no_own_certificate_banner_at_60_days_left(
    qtbot: QtBot, qapp: QApplication, home: Path, theme: Theme
) -> None:
    assert banner_after_start(qtbot, qapp, home, theme, days_left=60) is None


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (31, None),
        (30, "in 30 days"),
        (14, "in 14 days"),
        (3, "in 3 days"),
        (1, "tomorrow"),
        (-1, "expired on"),
    ],
)
def test_the_banner_words_follow_the_seal_rule(days_left: int, expected: str | None) -> None:
    words = own_expiry_words("me@clinic.example", NOW + dt.timedelta(days=days_left), NOW)
    if expected is None:
        assert words is None
    else:
        assert words is not None and expected in words and "Tools > My certificate" in words
