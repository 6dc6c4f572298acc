"""The questions the compose window asks before sending, behind one small interface.

Tests give the window other answers; the real ones are modal dialogs.
"""

from enum import StrEnum
from typing import Protocol

from PySide6.QtWidgets import QAbstractButton, QInputDialog, QMessageBox, QWidget

from desktop_app.core.messages import text
from desktop_app.core.phi.override import OverrideReason, reason_words
from desktop_app.core.recipients.send_gate import Choice, GateDecision
from desktop_app.ui.compose.gate_dialog import GateDialog
from desktop_app.ui.theme import Theme


class Confirmation(StrEnum):
    """The answer to "really send without encryption?"."""

    CANCEL = "cancel"
    SEND = "send"
    SEND_WITHOUT_QUOTE = "send_without_quote"  # remove the encrypted original's quoted text


class CloseChoice(StrEnum):
    """The answer to "save this draft?" when a typed draft is closed."""

    SAVE = "save"
    DISCARD = "discard"
    KEEP_EDITING = "keep_editing"


class DraftPlace(StrEnum):
    """Where Save draft would put a draft: the question says so."""

    SEALED = "sealed"  # encrypted to the user's own certificate
    UNENCRYPTED = "unencrypted"  # no certificate of their own: plain on this computer
    NOWHERE = "nowhere"  # no drafts folder at all: only Discard or Keep editing


class Prompts(Protocol):
    def choose(self, decision: GateDecision) -> Choice:
        """The user's choice in the send dialog (Keep editing if they close it)."""
        ...

    def confirm_unencrypted(self, decision: GateDecision) -> Confirmation:
        """The second confirmation before anything leaves without encryption."""
        ...

    def inform(self, title: str, message: str) -> None: ...

    def ask_close(self, place: DraftPlace) -> CloseChoice:
        """Save draft (the default), Discard or Keep editing, for a typed draft."""
        ...

    def phi_reason(self, decision: GateDecision) -> OverrideReason | None:
        """Why patient details may go unencrypted (None: the user cancelled)."""
        ...


class DialogPrompts:
    """The real questions: modal dialogs over ``parent``."""

    def __init__(self, parent: QWidget, theme: Theme) -> None:
        self._parent = parent
        self._theme = theme

    def choose(self, decision: GateDecision) -> Choice:
        dialog = GateDialog(decision, self._theme, self._parent)
        dialog.exec()
        return dialog.choice

    def confirm_unencrypted(self, decision: GateDecision) -> Confirmation:
        box = QMessageBox(self._parent)
        box.setObjectName("confirmUnencrypted")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(text("confirm.title"))
        box.setText(text("confirm.text", count=decision.audience))
        answers: dict[QAbstractButton, Confirmation] = {}
        if decision.quoted_original:
            box.setInformativeText(text("confirm.quoted"))
            without = box.addButton(text("confirm.remove_quote"), QMessageBox.ButtonRole.AcceptRole)
            keep = box.addButton(text("confirm.keep_quote"), QMessageBox.ButtonRole.DestructiveRole)
            answers = {without: Confirmation.SEND_WITHOUT_QUOTE, keep: Confirmation.SEND}
        else:
            box.setInformativeText(text("confirm.informative"))
            send = box.addButton(text("confirm.send"), QMessageBox.ButtonRole.DestructiveRole)
            answers = {send: Confirmation.SEND}
        cancel = box.addButton(text("confirm.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return answers.get(box.clickedButton(), Confirmation.CANCEL)

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self._parent, title, message)

    def ask_close(self, place: DraftPlace) -> CloseChoice:
        box = QMessageBox(self._parent)
        box.setObjectName("closeDraft")
        box.setWindowTitle(text("close.title"))
        box.setText(text("close.text"))
        box.setInformativeText(text(f"close.{place.value}"))
        box.setIcon(
            QMessageBox.Icon.Warning
            if place is DraftPlace.UNENCRYPTED
            else QMessageBox.Icon.Question
        )
        answers: dict[QAbstractButton, CloseChoice] = {}
        if place is not DraftPlace.NOWHERE:
            label = "close.save_unencrypted" if place is DraftPlace.UNENCRYPTED else "close.save"
            save = box.addButton(text(label), QMessageBox.ButtonRole.AcceptRole)
            answers[save] = CloseChoice.SAVE
        discard = box.addButton(text("close.discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(text("close.keep_editing"), QMessageBox.ButtonRole.RejectRole)
        answers |= {discard: CloseChoice.DISCARD, keep: CloseChoice.KEEP_EDITING}
        # Saving is the default: Enter keeps the draft. Escape goes back to editing.
        box.setDefaultButton(save if place is not DraftPlace.NOWHERE else keep)
        box.setEscapeButton(keep)
        box.exec()
        return answers.get(box.clickedButton(), CloseChoice.KEEP_EDITING)

    def phi_reason(self, decision: GateDecision) -> OverrideReason | None:
        reasons = list(OverrideReason)
        words = [reason_words(reason) for reason in reasons]
        picked, ok = QInputDialog.getItem(
            self._parent,
            text("gate.phi_reason_title"),
            text("gate.phi_reason_prompt"),
            words,
            0,
            False,
        )
        return reasons[words.index(picked)] if ok and picked in words else None
