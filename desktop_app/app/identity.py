"""The "My certificate" dialog, wired to the identity store and the keyring."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.user_identity import identity_importer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.core.identity import Identity
    from desktop_app.services.mail_access import MailAccess
    from desktop_app.ui.background import BackgroundRunner


def identity_dialog(
    access: MailAccess,
    runner: BackgroundRunner,
    imported: Callable[[Identity], None],
    parent: QWidget | None,
) -> QWidget:
    """Open the "My certificate" dialog over ``parent``, showing the stored certificate."""
    from desktop_app.services.identity_store import stored_identity
    from desktop_app.ui.identity_dialog import IdentityDialog

    try:
        stored = stored_identity(access.home)
    except UserFacingError:
        stored = None  # damaged: importing again is the way out
    dialog = IdentityDialog(
        runner,
        identity_importer(access),
        stored.cert if stored is not None else None,
        access.clock(),
        parent=parent,
    )
    dialog.imported.connect(imported)
    dialog.open()
    return dialog
