"""Message-list and training-list icons: the checked signature, the selected row, screen readers."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.messages import text
from desktop_app.ui.message_list import MessageDelegate, MessageListModel
from desktop_app.ui.theme import Theme
from tests.ui.conftest import OFFSCREEN_SIZE_HINTS
from tests.ui.main_window_helpers import (
    accessible_names,
    demo,
    icon_stays_visible,
    row_of,
    same_icon,
    shown_and_checked,
)

__all__ = ["demo"]  # the fixture, used by name
TAMPERED_SUBJECT = "On-call this weekend"
RAISE_UNSUPPORTED = r"^This plugin does not support raise\(\)$"  # offscreen platform


def test_the_tampered_message_shows_the_warning_icon_not_the_signed_ribbon(
    qtbot: QtBot, demo: Application
) -> None:
    theme = demo.theme
    window = shown_and_checked(qtbot, demo)
    index = window.model.index(row_of(window.model, TAMPERED_SUBJECT))
    assert same_icon(index.data(Qt.ItemDataRole.DecorationRole), theme.icon("warning"))
    assert not same_icon(index.data(Qt.ItemDataRole.DecorationRole), theme.icon("signed"))
    word = text("list.word_signature_invalid")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith(f"{word}: {TAMPERED_SUBJECT}")
    assert word in index.data(Qt.ItemDataRole.ToolTipRole)
    # The encrypted messages keep their lock; the plain ones say so in words too.
    encrypted = window.model.index(row_of(window.model, "Lab results for Mrs. Patel"))
    assert same_icon(encrypted.data(Qt.ItemDataRole.DecorationRole), theme.icon("lock-closed"))
    assert text("list.word_encrypted") in encrypted.data(Qt.ItemDataRole.AccessibleTextRole)


def test_the_message_list_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, demo: Application
) -> None:
    window = shown_and_checked(qtbot, demo)
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.folder_model)


def test_an_encrypted_messages_lock_stays_visible_on_the_selected_row(
    qtbot: QtBot, demo: Application
) -> None:
    window = shown_and_checked(qtbot, demo)
    window.resize(1180, 700)
    row = row_of(window.model, "Lab results for Mrs. Patel")
    rect = window.list_view.visualRect(window.model.index(row))
    size = MessageDelegate.ICON
    inner = rect.adjusted(MessageDelegate.PADDING, 0, -MessageDelegate.PADDING, 0)
    icon_rect = QRect(
        inner.right() - size, rect.bottom() - MessageDelegate.PADDING - size, size, size
    )
    assert icon_stays_visible(window.list_view, row, icon_rect.adjusted(3, 3, -3, -3))


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, RAISE_UNSUPPORTED)
def test_a_solved_scenarios_lock_stays_visible_on_the_selected_training_row(
    qtbot: QtBot, demo: Application
) -> None:
    from desktop_app.core.training.progress import Progress

    training = demo.training()
    qtbot.addWidget(training)
    first = training.model.scenario(0)  # type: ignore[attr-defined]
    training.model.set_progress(Progress().with_attempt(first.id, 1))  # type: ignore[attr-defined]
    view = training.list_view  # type: ignore[attr-defined]
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(view.model().index(0, 0))
    option.decorationSize = view.iconSize()
    delegate = view.itemDelegate()
    delegate.initStyleOption(option, view.model().index(0, 0))
    option.state |= QStyle.StateFlag.State_Selected
    decoration = view.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemDecoration, option, view
    )
    assert icon_stays_visible(view, 0, decoration.adjusted(2, 2, -2, -2))


def test_screen_readers_hear_each_messages_status_word_and_each_folders_count(
    qtbot: QtBot, demo: Application
) -> None:
    window = shown_and_checked(qtbot, demo)
    names = accessible_names(window.list_view)
    assert len(names) == window.model.rowCount()
    assert f"{text('list.word_signature_invalid')}: {TAMPERED_SUBJECT}" in " | ".join(names)
    assert sum(name.startswith(text("list.word_encrypted") + ":") for name in names) == 2
    folders = accessible_names(window.folder_view)
    assert folders[0] == text("folders.accessible", folder=text("folders.inbox"), count=8)


def test_a_checked_signature_changes_only_its_row_and_only_its_protection(
    qtbot: QtBot, qtmodeltester: ModelTester, theme: Theme
) -> None:
    import datetime as dt

    from desktop_app.services.mailbox.source import Encryption, MessageSummary, Signature

    listed = tuple(
        MessageSummary(
            f"id-{n}",
            "Priya",
            "priya@clinic.example",
            f"Message {n}",
            None,
            Encryption.NONE,
            Signature.UNVERIFIED,
        )
        for n in range(3)
    )
    model = MessageListModel(theme.icon)
    model.set_messages(listed)
    qtmodeltester.check(model)
    # As read from the message itself: another sender form and a date; only the
    # protection is taken over.
    opened = dataclasses.replace(
        listed[1],
        sender="Priya Shah",
        date=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
        signature=Signature.INVALID,
    )
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.update_summaries((opened,))
    assert [index.row() for index in changed.args[:2]] == [1, 1]
    assert model.summary(1) == dataclasses.replace(listed[1], signature=Signature.INVALID)
    assert model.summary(0) == listed[0] and model.summary(2) == listed[2]
    assert same_icon(model.index(1).data(Qt.ItemDataRole.DecorationRole), theme.icon("warning"))
    assert same_icon(model.index(0).data(Qt.ItemDataRole.DecorationRole), theme.icon("checking"))
