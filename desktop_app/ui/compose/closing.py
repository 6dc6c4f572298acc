"""Closing a compose window with a typed draft: Save draft (the default), Discard or Keep
editing. Discard asks nothing more; a draft is kept unencrypted only when the user has no
certificate of their own and chose that, told so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.ui.compose.prompts import CloseChoice, DraftPlace
from desktop_app.ui.errors import error_text

if TYPE_CHECKING:
    from desktop_app.ui.compose.autosave import DraftAutosave
    from desktop_app.ui.compose.window import ComposeWindow


def draft_place(autosave: DraftAutosave) -> DraftPlace:
    if not autosave.can_save:
        return DraftPlace.NOWHERE
    return DraftPlace.UNENCRYPTED if autosave.unencrypted else DraftPlace.SEALED


def may_close(window: ComposeWindow) -> bool:
    """Ask about the window's draft if closing would lose it; True when it may close."""
    autosave = window.autosave
    if not autosave.needs_decision():
        autosave.leave()
        return True
    choice = window.prompts.ask_close(draft_place(autosave))
    if choice is CloseChoice.KEEP_EDITING:
        return False
    if choice is CloseChoice.DISCARD:
        autosave.finish()
        return True
    try:
        autosave.keep()
    except UserFacingError as error:  # the draft is still in the window: say why, stay open
        window.prompts.inform(text("close.save_failed_title"), error_text(error))
        return False
    return True
