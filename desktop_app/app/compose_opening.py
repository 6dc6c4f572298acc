"""Opening compose windows for the application: new mail, replies (after the directory has
resolved X.500 addresses) and saved drafts; each is kept in ``compose_windows`` until it
closes, and what it sent goes to the main window's status line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from desktop_app.app.exchange import account_keys, reply_legacy_dns

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop_app.app.application import Application
    from desktop_app.core.recipients.addresses import Mailbox
    from desktop_app.services.drafts import DraftRecord
    from desktop_app.services.mailbox.source import MessageDetail
    from desktop_app.ui.compose.window import ComposeWindow


def open_compose(
    application: Application, action: str, detail: MessageDetail | None
) -> QWidget | None:
    """Open a compose window for ``action`` ("new", "reply", "reply_all", "forward").

    A reply to mail with X.500 (IMCEAEX) addresses opens once the Exchange directory
    has resolved them (in the background); then None is returned.
    """
    context = application.context()
    own = frozenset(identity.key for identity in context.identities)
    exchange = not application.demo and application.lookup.exchange is not None
    if exchange:
        own |= account_keys(application.home)
    legacy = reply_legacy_dns(action, detail) if exchange else ()
    if not legacy:
        return _open(application, action, detail, own, {})

    def opened(resolved: Mapping[str, Mailbox]) -> None:
        _open(application, action, detail, own, resolved)

    application.runner.run(
        lambda: application.lookup.resolve_legacy_dns(legacy),
        opened,
        failure=lambda _error: opened({}),
    )
    return None


def _open(
    application: Application,
    action: str,
    detail: MessageDetail | None,
    own: frozenset[str],
    resolved: Mapping[str, Mailbox],
) -> QWidget:
    from desktop_app.core.recipients.replies import ComposeAction
    from desktop_app.ui.compose.starts import compose_start
    from desktop_app.ui.compose.window import ComposeWindow

    start = compose_start(ComposeAction(action), detail, own, resolved)
    return _show(application, ComposeWindow(application.context(), start))


def reopen_draft(application: Application, record: DraftRecord) -> QWidget:
    """Reopen a saved draft in a compose window; it keeps saving to the same file.

    Its recipients are looked up again, as if typed now. The Drafts view lists
    ``draft_store().recover().drafts`` (in the background) and calls this.
    """
    from desktop_app.ui.compose.autosave import start_of
    from desktop_app.ui.compose.window import ComposeWindow

    context = application.context()
    if context.drafts is not None:
        context.drafts.resume(record.draft_id)
    return _show(application, ComposeWindow(context, start_of(record), draft=record))


def _show(application: Application, window: ComposeWindow) -> QWidget:
    windows = application.compose_windows
    windows.append(window)
    window.closed.connect(lambda: windows.remove(window) if window in windows else None)
    window.sent.connect(application.on_sent)
    window.show()
    return window
