"""Drafts autosave for the compose window, and the dialog that offers drafts back on start.

The window's state is captured on the GUI thread (cheap); sealing and writing run on the
background helper. Without a certificate of the user's own nothing is autosaved: a draft
is written unencrypted only by Save draft, after the user was told so (``window.py``).
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.messages import text
from desktop_app.core.recipients.address_entries import entries_for
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Field
from desktop_app.services.drafts import DraftRecord, DraftStore, Recovery, new_draft_id
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.attachment_model import DraftAttachment
from desktop_app.ui.compose.session import ComposeStart
from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from desktop_app.ui.compose.window import ComposeWindow

AUTOSAVE_DELAY_MS = 2000
_FIELDS = (Field.TO, Field.CC, Field.BCC)


def start_of(record: DraftRecord) -> ComposeStart:
    """How a restored draft starts; its recipients and the rest follow in ``restore``."""
    try:
        action = ComposeAction(record.action)
    except ValueError:
        action = ComposeAction.NEW
    return ComposeStart(
        action=action,
        subject=record.subject,
        body=record.body,
        quote=record.quote,
        original_encrypted=record.original_encrypted,
        in_reply_to=record.in_reply_to,
        references=record.references,
    )


def snapshot(window: ComposeWindow, draft_id: str, saved: datetime) -> DraftRecord:
    """The window's draft as it stands, recipients as typed."""
    session = window.session
    start = session.start

    def written(field: Field) -> tuple[str, ...]:
        return tuple(entry.written for entry in session.models[field].entries())

    typing = tuple(window.fields[field].editor.text() for field in _FIELDS)
    return DraftRecord(
        draft_id=draft_id,
        saved=saved,
        action=start.action.value,
        to=written(Field.TO),
        cc=written(Field.CC),
        bcc=written(Field.BCC),
        typing=(typing[0], typing[1], typing[2]),
        subject=window.subject.text(),
        body=window.body.toPlainText(),
        attachments=tuple(str(path) for path in session.attachments.paths()),
        encrypt=session.encrypt_on if session.encrypt_chosen else None,
        sign=session.sign_on,
        quote=start.quote,
        original_encrypted=start.original_encrypted,
        in_reply_to=start.in_reply_to,
        references=start.references,
    )


def restore(window: ComposeWindow, record: DraftRecord) -> list[str]:
    """Put ``record``'s recipients, attachments and toggles back; returns what is lost."""
    session = window.session
    for field, written, typing in zip(
        _FIELDS, (record.to, record.cc, record.bcc), record.typing, strict=True
    ):
        session.models[field].add_entries([e for token in written for e in entries_for(token)])
        window.fields[field].editor.setText(typing)
    lost = []
    for name in record.attachments:
        path = Path(name)
        try:
            session.attachments.add(DraftAttachment(path, path.stat().st_size))
        except OSError:
            lost.append(text("drafts.attachment_gone", path=path))
    if record.encrypt is not None:
        session.set_encrypt(record.encrypt)
    session.set_sign(record.sign)
    return lost


class DraftAutosave(QObject):
    """Saves one draft ``AUTOSAVE_DELAY_MS`` after the last change, when it changed.

    ``kept``: the draft was saved by the user (Save draft) and stays in the Drafts view;
    autosaves keep that mark. ``restored``: the window continues a draft from disk.

    Signals:
        saved(object): the ``Path`` written.
        failed(str): why the draft was not saved.
    """

    saved = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        runner: BackgroundRunner,
        store: DraftStore | None,
        draft_id: str,
        capture: Callable[[str, datetime], DraftRecord],
        clock: Callable[[], datetime],
        parent: QObject | None = None,
        *,
        delay_ms: int | None = None,
        kept: bool = False,
        restored: bool = False,
    ) -> None:
        super().__init__(parent)
        self.kept = kept
        self.restored = restored
        self._runner = runner
        self._store = store
        self.draft_id = draft_id
        self._capture = capture
        self._clock = clock
        self._finished = False
        # What the draft file holds (or the starting draft): the same content is not saved.
        self._last: dict[str, Any] | None = self._record().content()
        self._start = self._last
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS if delay_ms is None else delay_ms)
        self._timer.timeout.connect(self.save_now)

    def _record(self) -> DraftRecord:
        return dataclasses.replace(self._capture(self.draft_id, self._clock()), kept=self.kept)

    @property
    def active(self) -> bool:
        """False when drafts cannot be sealed (no certificate of the user's own)."""
        return self._store is not None and self._store.sealed

    @property
    def unencrypted(self) -> bool:
        """True when Save draft would write the draft unencrypted (it asks first)."""
        return self._store is not None and not self._store.sealed

    @property
    def can_save(self) -> bool:
        return self._store is not None

    def needs_decision(self) -> bool:
        """True when closing would lose something: anything typed since the window
        opened, or a draft recovered after a crash that the user never saved."""
        if self._finished:
            return False
        if self.restored and not self.kept:
            return True
        return self._record().content() != self._start

    @property
    def pending(self) -> bool:
        """True while a change waits for its save."""
        return self._timer.isActive()

    def schedule(self) -> None:
        """A change: save a short while after the last one."""
        if self.active and not self._finished:
            self._timer.start()

    def save_now(self) -> None:
        self._timer.stop()
        store = self._store
        if store is None or not self.active or self._finished:
            return
        record = self._record()
        content = record.content()
        if content == self._last:
            return
        self._last = content
        self._runner.run(
            lambda: store.save(record),
            self._on_saved,
            channel=f"draft-{self.draft_id}",
            failure=self._on_failed,
            owner=self,
        )

    def _on_saved(self, path: Path | None) -> None:
        if path is not None and not self._finished:
            self.saved.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self._last = None  # try again on the next change
        if not self._finished:
            self.failed.emit(text("drafts.save_failed", reason=error_text(error)))

    def finish(self) -> None:
        """The draft was sent or discarded: delete its file and save nothing more."""
        self._timer.stop()
        self._finished = True
        if self._store is not None:
            self._store.delete(self.draft_id)

    def keep(self) -> Path | None:
        """Save draft, now and on this thread, marked as kept; nothing is saved after it.

        Raises:
            DraftError: it could not be written (the window stays open to say so).
        """
        self._timer.stop()
        if self._store is None:
            return None
        self.kept = True
        path = self._store.save(self._record(), final=True)
        self._finished = True
        return path

    def leave(self) -> None:
        """The window closes with nothing new in it: a draft from disk stays as it is."""
        if self.restored:
            self._timer.stop()
            self._finished = True
        else:
            self.finish()


def start_autosave(window: ComposeWindow, draft: DraftRecord | None) -> DraftAutosave:
    """Restore ``draft`` into the new ``window`` (if given) and autosave it from now on.

    The window's status bar says when the draft was saved, why it was not, or that
    autosave is off.
    """
    lost = restore(window, draft) if draft is not None else []
    context = window.context
    # Weakly: the window keeps its autosave, and a cycle would keep a closed window's
    # wrapper alive until the garbage collector runs.
    window_ref = weakref.ref(window)

    def capture(draft_id: str, saved: datetime) -> DraftRecord:
        shown = window_ref()
        assert shown is not None  # the autosave is the window's child: it dies first
        return snapshot(shown, draft_id, saved)

    autosave = DraftAutosave(
        context.runner,
        context.drafts,
        draft.draft_id if draft is not None else new_draft_id(),
        capture,
        context.clock,
        window,
        kept=draft is not None and draft.kept,
        restored=draft is not None,
    )
    status = window.draft_status
    off = "" if autosave.active else text("drafts.autosave_off")
    status.setText(" ".join(lost) if lost else off)
    autosave.saved.connect(
        lambda _: status.setText(text("drafts.saved", time=f"{context.clock().astimezone():%H:%M}"))
    )
    autosave.failed.connect(status.setText)
    for changed in (
        window.session.changed,
        window.subject.textChanged,
        window.body.textChanged,
        window.session.attachments.rowsInserted,
        window.session.attachments.rowsRemoved,
        *(token_field.editor.textChanged for token_field in window.fields.values()),
    ):
        changed.connect(autosave.schedule)
    return autosave


def _recipients(record: DraftRecord) -> str:
    written = [*record.to, *record.cc, *record.bcc, *(t for t in record.typing if t.strip())]
    return ", ".join(written) if written else text("drafts.no_recipients")


def draft_row(record: DraftRecord) -> str:
    return text(
        "drafts.recover_row",
        subject=record.subject or text("mailbox.no_subject"),
        recipients=_recipients(record),
        time=f"{record.saved.astimezone():%d %b %Y %H:%M}",
    )


class RecoveryDialog(QDialog):
    """Offers the drafts left behind back: Restore, Discard, or decide later.

    Each draft is a checked row; unchecking one leaves it out of Restore and Discard
    (it stays on disk and is offered again next time).
    """

    def __init__(
        self,
        recovery: Recovery,
        *,
        restore: Callable[[Sequence[DraftRecord]], None],
        discard: Callable[[Sequence[DraftRecord]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("draftRecovery")
        self.setWindowTitle(text("drafts.recover_title"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._recovery = recovery
        self._restore = restore
        self._discard = discard
        layout = QVBoxLayout(self)
        intro = QLabel(text("drafts.recover_intro", count=len(recovery.drafts)))
        intro.setWordWrap(True)
        intro.setVisible(bool(recovery.drafts))
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("draftList")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for record in recovery.drafts:
            item = QListWidgetItem(draft_row(record))
            item.setToolTip(item.text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setVisible(bool(recovery.drafts))
        layout.addWidget(self.list)
        damaged = "\n".join(d.message for d in recovery.damaged)
        self.damaged = QLabel(f"{text('drafts.damaged_intro')}\n{damaged}" if damaged else "")
        self.damaged.setObjectName("damagedDrafts")
        self.damaged.setWordWrap(True)
        self.damaged.setVisible(bool(damaged))
        layout.addWidget(self.damaged)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(text("drafts.restore"))
        self.discard_button = QPushButton(text("drafts.discard"))
        later = QPushButton(text("drafts.later"))
        for button, role in (
            (self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole),
            (later, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setVisible(bool(recovery.drafts) or button is later)
            buttons.addButton(button, role)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        later.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def chosen(self) -> list[DraftRecord]:
        return [
            record
            for row, record in enumerate(self._recovery.drafts)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def restore(self) -> None:
        chosen = self.chosen()
        self.accept()
        self._restore(chosen)

    def discard(self) -> None:
        chosen = self.chosen()
        self.accept()
        self._discard(chosen)
