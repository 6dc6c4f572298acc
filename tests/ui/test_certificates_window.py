"""The Certificates window, the Settings dialog and window sizes, on real windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.app.start import wants_dark
from desktop_app.core.messages import text
from desktop_app.core.pki.stored import Source
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.paths import store_path
from desktop_app.services.settings import APPEARANCE, Appearance, Settings
from desktop_app.ui.certificate_models import StatusFilter
from desktop_app.ui.certificates_window import CertificatesWindow
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.theme import Theme
from desktop_app.ui.window_places import fit_to_screen
from tests.factories.certs import NOW, TestCA
from tests.services.keyrings import InMemoryKeyring
from tests.ui.conftest import OFFSCREEN_SIZE_HINTS, own_application
from tests.ui.make_screenshots import demo_application

CA = TestCA("Certificates Window Root")
OTHER_CA = TestCA("Unknown Root")
ALICE = CA.issue(["alice@clinic.example"])
BOB = CA.issue(["bob@clinic.example"], not_after=NOW - dt.timedelta(days=3))
CAROL = CA.issue(["carol@clinic.example"], not_after=NOW + dt.timedelta(days=12))
DANA = OTHER_CA.issue(["dana@partner.example"])
RAISE_UNSUPPORTED = r"^This plugin does not support raise\(\)$"  # offscreen platform
SMALL_SCREEN = QRect(0, 0, 1280, 720)
LAPTOP = QRect(0, 0, 1366, 768)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with CertStore.open(store_path(home)) as store:
        store.add_trust_anchor(CA.cert, NOW)
        store.add_certificate(ALICE.cert, Source.IMPORTED, NOW)
        store.add_certificate(BOB.cert, Source.DIRECTORY, NOW)
        store.add_certificate(CAROL.cert, Source.HARVESTED, NOW)
        store.add_certificate(DANA.cert, Source.HARVESTED, NOW)
    return home


@pytest.fixture
def application(qapp: QApplication, home: Path, theme: Theme) -> Iterator[Application]:
    app = own_application(qapp, home, InMemoryKeyring(), theme)
    yield app
    app.shutdown()


def listed(qtbot: QtBot, app: Application) -> CertificatesWindow:
    window = app.tools.open_certificates()
    assert isinstance(window, CertificatesWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    return window


def shown_rows(window: CertificatesWindow) -> dict[str, str]:
    """Address -> status word of the rows the filter lets through."""
    model = window.filtered
    return {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_every_certificate_with_its_status_source_and_expiry(
    qtbot: QtBot, qtmodeltester: ModelTester, application: Application
) -> None:
    window = listed(qtbot, application)
    rows = shown_rows(window)
    assert rows["alice@clinic.example"] == "Can read encrypted mail"
    assert rows["bob@clinic.example"] == "Expired"
    assert rows["dana@partner.example"] == "Untrusted"
    assert rows[CA.cert.subject.rfc4514_string().split("=", 1)[1]] == text(
        "certs_window.authority_trusted"
    )
    model = window.model
    by_address = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    carol = by_address["carol@clinic.example"]
    expires = model.index(carol, 4)
    assert "(in 12 days)" in expires.data() and expires.data(Qt.ItemDataRole.DecorationRole)
    assert text("certs_window.expiring_tip") in expires.data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(carol, 2).data() == text("certs_window.source_harvested")
    bob = model.index(by_address["bob@clinic.example"], 1)
    assert bob.data(Qt.ItemDataRole.AccessibleTextRole).startswith("bob@clinic.example: Expired.")
    assert "expired on" in bob.data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(model)
    # What a screen reader says for the status cells: the status word and the reason.
    from tests.ui.main_window_helpers import accessible_names

    spoken = accessible_names(window.table)
    assert any(name.startswith("bob@clinic.example: Expired. ") for name in spoken)


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_the_status_filter_shows_only_matching_certificates(
    qtbot: QtBot, qtmodeltester: ModelTester, application: Application
) -> None:
    window = listed(qtbot, application)
    qtmodeltester.check(window.filtered)
    window.choose_filter(StatusFilter.USABLE)
    assert set(shown_rows(window)) == {"alice@clinic.example", "carol@clinic.example"}
    window.choose_filter(StatusFilter.PROBLEM)
    assert set(shown_rows(window)) == {"bob@clinic.example", "dana@partner.example"}
    window.choose_filter(StatusFilter.EXPIRING)
    assert set(shown_rows(window)) == {"carol@clinic.example"}
    window.choose_filter(StatusFilter.AUTHORITIES)
    assert len(shown_rows(window)) == 1
    assert window.status.text() == text("certs_window.count", shown=1, total=5)


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_import_trust_and_remove_change_the_store(
    qtbot: QtBot, application: Application, home: Path, tmp_path: Path
) -> None:
    window = listed(qtbot, application)
    erin = OTHER_CA.issue(["erin@partner.example"])
    erin_file = tmp_path / "erin.pem"
    erin_file.write_bytes(erin.pem)
    with qtbot.waitSignal(window.listed, timeout=10_000):
        window.import_file(erin_file)
    assert shown_rows(window)["erin@partner.example"] == "Untrusted"
    assert "1 new certificates" in window.status.text()
    ca_file = tmp_path / "other-ca.pem"
    ca_file.write_bytes(OTHER_CA.pem)
    with qtbot.waitSignal(window.listed, timeout=10_000):
        window.trust_file(ca_file)
    assert shown_rows(window)["erin@partner.example"] == "Can read encrypted mail"
    model = window.filtered
    row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data() == "bob@clinic.example"
    )
    window.table.setCurrentIndex(model.index(row, 0))
    with qtbot.waitSignal(window.listed, timeout=10_000):
        window.remove_selected(confirm=False)
    assert "bob@clinic.example" not in shown_rows(window)
    with CertStore.open(store_path(home)) as store:
        assert all(c.addresses != ("bob@clinic.example",) for c in store.list_certificates())


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_a_file_that_is_no_certificate_says_so_and_changes_nothing(
    qtbot: QtBot, application: Application, tmp_path: Path
) -> None:
    window = listed(qtbot, application)
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"not a certificate")
    before = window.model.rowCount()
    window.import_file(junk)
    qtbot.waitUntil(lambda: "junk.pem" in window.status.text(), timeout=10_000)
    assert window.model.rowCount() == before


def test_settings_keep_the_appearance_and_show_the_policy_in_force(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    app = demo_application(qapp, tmp_path / "demo")
    try:
        dialog = app.tools.open_settings()
        assert isinstance(dialog, SettingsDialog)
        qtbot.addWidget(dialog)
        policy = dialog.policy_label.text()
        assert str(tmp_path / "demo" / "policy.toml") in policy
        assert "clinic.example" in policy
        assert dialog.account_label.text() == text("settings.account_demo")
        dialog.appearance_buttons[Appearance.DARK].click()
        dialog.accept()
        assert Settings(tmp_path / "demo").get(APPEARANCE) is Appearance.DARK
        assert wants_dark(tmp_path / "demo", system_dark=False)
    finally:
        app.shutdown()
    theme.apply(qapp)  # the demo application applied its own


def test_a_damaged_settings_file_reads_as_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"appearance": "purple"', encoding="utf-8")
    assert Settings(tmp_path).get(APPEARANCE) is Appearance.SYSTEM
    assert not wants_dark(tmp_path, system_dark=False)


def inside(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` is shown wholly inside ``window``'s area, not scrolled away."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    within = window.rect().contains(QRect(top_left, widget.size()))
    unclipped = widget.visibleRegion().boundingRect() == widget.rect()
    return widget.isVisible() and within and unclipped


def fits(window: QWidget, area: QRect) -> None:
    fit_to_screen(window, QSize(4000, 3000), area)
    window.show()
    QApplication.processEvents()
    assert window.width() <= area.width() and window.height() <= area.height()
    assert window.minimumSizeHint().width() <= area.width()
    assert window.minimumSizeHint().height() <= area.height()


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_the_main_window_certificates_and_settings_fit_1280_by_720(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    app = demo_application(qapp, tmp_path / "demo")
    try:
        window = app.main_window()
        qtbot.addWidget(window)
        fits(window, SMALL_SCREEN)
        for button in ("action_reply_all", "action_training"):
            assert inside(
                window.findChild(QPushButton, button) or window.findChild(QWidget, button), window
            )
        certificates = app.tools.open_certificates()
        qtbot.addWidget(certificates)
        fits(certificates, SMALL_SCREEN)
        assert inside(certificates.findChild(QPushButton, "certs_close"), certificates)
        settings = app.tools.open_settings()
        qtbot.addWidget(settings)
        fits(settings, SMALL_SCREEN)
        shortcuts = window.show_shortcuts()
        qtbot.addWidget(shortcuts)
        fits(shortcuts, SMALL_SCREEN)
        qtbot.waitUntil(lambda: certificates.model.rowCount() > 0, timeout=10_000)
        certificates.table.setCurrentIndex(certificates.filtered.index(0, 0))
        certificates.show_details()
        qtbot.waitUntil(lambda: certificates.details_dialog is not None, timeout=10_000)
        details = certificates.details_dialog
        assert details is not None
        qtbot.addWidget(details)
        fits(details, SMALL_SCREEN)
        window.show_welcome()  # a page that scrolls rather than grows
        assert window.minimumSizeHint().height() <= SMALL_SCREEN.height()
    finally:
        app.shutdown()
    theme.apply(qapp)


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_the_training_windows_buttons_are_on_a_1366_by_768_screen(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, theme: Theme
) -> None:
    from desktop_app.ui.training.window import PREFERRED_SIZE

    app = demo_application(qapp, tmp_path / "demo")
    try:
        training = app.training()
        qtbot.addWidget(training)
        # As it opens on this screen: within the part of the screen windows may use.
        available = training.screen().availableGeometry()
        assert training.width() <= available.width()
        assert training.height() <= available.height()
        # As it opens on the laptop: at most the available area, the frame included.
        size = fit_to_screen(training, PREFERRED_SIZE, LAPTOP)
        assert size.height() <= LAPTOP.height() - 40 and size.width() <= LAPTOP.width()
        training.list_view.setCurrentIndex(training.model.index(0))  # type: ignore[attr-defined]
        page = training.page  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: page.ready and not page.compose.context.runner.busy, timeout=10_000)
        next(iter(page.decision_buttons.values())).click()  # any answer shows the feedback
        QApplication.processEvents()
        for name in ("exportButton", "nextButton"):
            button = training.findChild(QPushButton, name)
            assert button is not None and inside(button, training), name
    finally:
        app.shutdown()
    theme.apply(qapp)


def test_file_choosers_start_in_documents_not_where_the_program_was_started(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QStandardPaths

    from desktop_app.ui.window_places import documents_folder

    started_in = tmp_path / "started-here"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    chosen = Path(documents_folder())
    assert chosen.is_dir() and chosen != started_in
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert chosen in {Path(documents), Path.home()}
