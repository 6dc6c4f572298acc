"""The Certificates window: every certificate the app knows, like the certificate managers
of Thunderbird and Outlook. Store work runs on the background helper.

Signals: ``listed(int)`` with how many certificates a reading found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.services import certificate_list as certificates
from desktop_app.services.certificate_list import KnownCertificate
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.certificate_models import (
    CertificateTableModel,
    StatusFilter,
    StatusFilterModel,
    certificate_look,
)
from desktop_app.ui.errors import error_text
from desktop_app.ui.list_icons import VisibleIconDelegate
from desktop_app.ui.theme import Theme
from desktop_app.ui.window_places import documents_folder, fit_to_screen


class CertificatesWindow(QWidget):
    """Filter by status; import, trust a CA, remove, details."""

    listed = Signal(int)

    def __init__(
        self,
        store_path: Path,
        theme: Theme,
        runner: BackgroundRunner,
        clock: Callable[[], dt.datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("certificatesWindow")
        self.setWindowTitle(text("certs_window.title"))
        self._store_path = store_path
        self._runner = runner
        self._clock = clock
        self._done_words = ""
        self.details_dialog: QDialog | None = None
        self.model = CertificateTableModel(theme.icon, self)
        self.filtered = StatusFilterModel(self)
        self.filtered.setSourceModel(self.model)
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("statusFilter")
        for chosen in StatusFilter:
            self.filter_box.addItem(text(f"certs_window.filter_{chosen.value}"), chosen)
        self.filter_box.setAccessibleName(text("certs_window.filter"))
        self.filter_box.currentIndexChanged.connect(self._on_filter)
        self.table = QTableView()
        self.table.setObjectName("certificateTable")
        self.table.setModel(self.filtered)
        self.table.setItemDelegate(VisibleIconDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(text("certs_window.title"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.show_details())
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.reason = QLabel()
        self.reason.setObjectName("certificateReason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("certificatesStatus")
        self.status.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(text("certs_window.filter")))
        top.addWidget(self.filter_box)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        for name, run in (
            ("import", self.import_file),
            ("trust", self.trust_file),
            ("remove", self.remove_selected),
            ("details", self.show_details),
        ):
            button = QPushButton(text(f"certs_window.{name}"))
            button.setObjectName(f"certs_{name}")
            button.clicked.connect(lambda _=False, chosen=run: chosen())
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        close = QPushButton(text("certs_window.close"))
        close.setObjectName("certs_close")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        fit_to_screen(self, QSize(980, 580))
        self.refresh()

    # -- reading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        store_path, at = self._store_path, self._clock()
        self._runner.run(
            lambda: certificates.list_known(store_path, at),
            self._on_listed,
            channel="certificates-window",
            failure=lambda error: self.status.setText(error_text(error)),
            owner=self,
        )

    def _on_listed(self, rows: tuple[KnownCertificate, ...]) -> None:
        self.model.set_certificates(rows)
        self.table.resizeColumnsToContents()
        if self.filtered.rowCount():
            self.table.setCurrentIndex(self.filtered.index(0, 0))
        self._count()
        if self._done_words:
            self.status.setText(f"{self._done_words}\n{self.status.text()}")
            self._done_words = ""
        self.listed.emit(len(rows))

    def _count(self) -> None:
        self.status.setText(
            text(
                "certs_window.count",
                shown=self.filtered.rowCount(),
                total=self.model.rowCount(),
            )
        )

    def _on_filter(self, _index: int) -> None:
        self.choose_filter(StatusFilter(self.filter_box.currentData()))

    def choose_filter(self, chosen: StatusFilter) -> None:
        self.filter_box.setCurrentIndex(list(StatusFilter).index(chosen))
        self.filtered.choose(chosen)
        self._count()

    def _on_current(self, _current: object, _previous: object) -> None:
        """The selected certificate's status and reason in plain words under the table."""
        known = self.selected()
        if known is None:
            self.reason.clear()
            return
        _icon, word, reason = certificate_look(known)
        self.reason.setText(f"<b>{escape(word)}</b> — {escape(reason)}")
        self.reason.setAccessibleName(f"{word}. {reason}")

    def selected(self) -> KnownCertificate | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        known = index.data(CertificateTableModel.CERTIFICATE_ROLE)
        return known if isinstance(known, KnownCertificate) else None

    # -- changes -----------------------------------------------------------------------------

    def _choose_file(self, title_key: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, text(title_key), documents_folder(), text("certs_window.file_filter")
        )
        return Path(chosen) if chosen else None

    def import_file(self, path: Path | None = None) -> None:
        path = path or self._choose_file("certs_window.import_title")
        if path is None:
            return
        store_path, at = self._store_path, self._clock()

        def done(counts: tuple[int, int]) -> None:
            added, known = counts
            self._after_change(
                text("certs_window.imported", added=added, known=known, file=path.name)
            )

        self._runner.run(
            lambda: certificates.import_certificates(store_path, path, at),
            done,
            failure=self._on_failed,
            owner=self,
        )

    def trust_file(self, path: Path | None = None) -> None:
        path = path or self._choose_file("certs_window.trust_title")
        if path is None:
            return
        store_path, at = self._store_path, self._clock()

        def done(subjects: tuple[str, ...]) -> None:
            if not subjects:
                self._after_change(text("certs_window.no_ca", file=path.name))
                return
            self._after_change(
                "\n".join(text("certs_window.trusted", subject=subject) for subject in subjects)
            )

        self._runner.run(
            lambda: certificates.trust_authorities(store_path, path, at),
            done,
            failure=self._on_failed,
            owner=self,
        )

    def remove_selected(self, *, confirm: bool = True) -> None:
        known = self.selected()
        if known is None:
            return
        address = ", ".join(known.stored.addresses) or known.stored.subject
        if confirm:
            answer = QMessageBox.question(
                self,
                text("certs_window.remove_title"),
                text("certs_window.remove_question", address=address),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        store_path, fingerprint = self._store_path, known.fingerprint
        self._runner.run(
            lambda: certificates.remove_certificate(store_path, fingerprint),
            lambda _removed: self._after_change(text("certs_window.removed")),
            failure=self._on_failed,
            owner=self,
        )

    def _after_change(self, words: str) -> None:
        """Read the store again; ``words`` (what was done) lead the status once it is read."""
        self._done_words = words
        self.refresh()

    def _on_failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))

    # -- details -----------------------------------------------------------------------------

    def show_details(self) -> None:
        known = self.selected()
        if known is None:
            return None
        store_path = self._store_path

        def opened(facts: CertificateFacts) -> None:
            self.details_dialog = DetailsDialog(known, facts, self)
            self.details_dialog.open()

        self._runner.run(
            lambda: certificates.stored_certificate_facts(store_path, known.fingerprint),
            opened,
            failure=self._on_failed,
            owner=self,
        )


class DetailsDialog(QDialog):
    """The technical detail (subject, issuer, serial, key, every problem found)."""

    def __init__(self, known: KnownCertificate, facts: CertificateFacts, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("certificateDetails")
        name = ", ".join(known.stored.addresses) or facts.subject
        self.setWindowTitle(text("certs_window.details_title", name=name))
        _icon, word, reason = certificate_look(known)
        form = QFormLayout()
        problems = known.verdict.problems if known.verdict is not None else ()
        rows = (
            ("certs_window.column_status", f"{word}. {reason}"),
            ("certs_window.subject", facts.subject_text),
            ("certs_window.issuer", facts.issuer),
            ("certs_window.serial", facts.serial),
            (
                "certs_window.valid",
                text(
                    "certs_window.valid_range",
                    start=f"{facts.not_before:%Y-%m-%d}",
                    end=f"{facts.not_after:%Y-%m-%d}",
                ),
            ),
            ("certs_window.key", facts.key),
            ("certs_window.fingerprint", facts.fingerprint),
            ("certs_window.problems", "\n".join(problems) or "—"),
        )
        for key, value in rows:
            label = QLabel(value)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(text(key), label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(620, 420)
