"""Opening a recipient's certificate details with the choices wired to the store.

Activating a token opens them (or, for text that is not an address, edits it). A choice
is saved off the GUI thread; then the address is looked up again through the session's
usual path, so the token's status comes from the one rule, never the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from desktop_app.core.messages import text
from desktop_app.core.recipients.status import Field, RecipientStatus
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.services.certificates.pin_choices import PinError
from desktop_app.ui.compose.certificate_choices import CertificateChoicesBox, choices_for
from desktop_app.ui.compose.certificate_dialog import CertificateDialog
from desktop_app.ui.compose.recipient_model import RecipientListModel
from desktop_app.ui.compose.session import ComposeSession
from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from desktop_app.ui.compose.window import ComposeWindow


def certificate_details(
    status: RecipientStatus,
    facts: CertificateFacts | None,
    session: ComposeSession,
    parent: QWidget | None = None,
) -> CertificateDialog:
    context = session.context
    keeper = context.certificate_choices
    choices = choices_for(status, session.evidence) if keeper is not None else None
    dialog = CertificateDialog(status, facts, context.theme, parent, choices=choices)
    box = dialog.choices_box
    if box is None or keeper is None:
        return dialog
    mailbox = status.mailbox

    def saved(_: object) -> None:
        session.look_up_again(mailbox.key)
        if isValid(dialog):
            dialog.accept()

    def refused(error: BaseException) -> None:
        if not isValid(box):
            return
        if isinstance(error, PinError):  # its words name the command line's lookup
            box.show_failure(text("choices.gone", address=mailbox.address))
        else:
            box.show_failure(error_text(error))

    def save(action: Callable[[], None], shown: CertificateChoicesBox = box) -> None:
        shown.set_busy()
        # Owned by the session: the lookup again happens even if the dialog was closed.
        context.runner.run(action, saved, failure=refused, owner=session)

    box.pinRequested.connect(lambda fingerprint: save(lambda: keeper.pin(mailbox, fingerprint)))
    box.unpinRequested.connect(lambda: save(lambda: keeper.unpin(mailbox)))
    box.acceptRequested.connect(
        lambda fingerprint: save(lambda: keeper.accept(mailbox, fingerprint))
    )
    return dialog


def open_token_details(window: ComposeWindow, field: Field, row: int) -> None:
    """A token of ``field`` was activated: edit it when it is not an address, else show
    the recipient's certificate details (the certificate read off the GUI thread first)."""
    index = window.session.models[field].index(row)
    if index.data(RecipientListModel.ENTRY_ROLE).mailbox is None:
        window.fields[field].edit_row(row)
        return
    status = index.data(RecipientListModel.STATUS_ROLE)
    if not isinstance(status, RecipientStatus):
        return  # still checking: the tooltip says so
    certificate = status.certificate
    if certificate is None:
        _show_details(window, status, None)
        return
    lookup = window.context.lookup
    window.context.runner.run(
        lambda: lookup().facts(certificate.fingerprint),
        lambda facts: _show_details(window, status, facts),
        failure=lambda _: _show_details(window, status, None),
        owner=window,
    )


def _show_details(
    window: ComposeWindow, status: RecipientStatus, facts: CertificateFacts | None
) -> None:
    window.details_dialog = certificate_details(status, facts, window.session, window)
    window.details_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.details_dialog.open()
