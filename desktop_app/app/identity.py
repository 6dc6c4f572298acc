"""The "My certificate" dialog, wired to the identity store and the keyring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.user_identity import identity_importer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.app.access import SystemAccess
    from desktop_app.core.identity import Identity
    from desktop_app.ui.background import BackgroundRunner


def identity_dialog(
    home: Path,
    runner: BackgroundRunner,
    access: SystemAccess,
    now: dt.datetime,
    imported: Callable[[Identity], None],
    parent: QWidget | None,
) -> QWidget:
    """Open the "My certificate" dialog over ``parent``, showing the stored certificate."""
    from desktop_app.services.identity_store import stored_identity
    from desktop_app.ui.identity_dialog import IdentityDialog

    try:
        stored = stored_identity(home)
    except UserFacingError:
        stored = None  # damaged: importing again is the way out
    dialog = IdentityDialog(
        runner,
        identity_importer(home, access.secrets),
        stored.cert if stored is not None else None,
        now,
        parent=parent,
    )
    dialog.imported.connect(imported)
    dialog.open()
    return dialog
