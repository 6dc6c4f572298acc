"""Settings: the look (saved through the declared settings), the mail account, and the
policy in force, read-only, with the files it came from."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.policy.model import Policy
from desktop_app.services.policy_files import PolicyLoad
from desktop_app.services.settings import APPEARANCE, Appearance, Settings


def policy_lines(load: PolicyLoad) -> list[str]:
    policy: Policy = load.policy
    yes_no = {True: text("settings.yes"), False: text("settings.no")}
    sources = ", ".join(str(path) for path in load.sources)
    lines = [
        text("settings.policy_from", source=sources)
        if sources
        else text("settings.policy_default"),
        text(
            "settings.policy_internal",
            domains=", ".join(sorted(policy.internal_domains)) or text("settings.none"),
        ),
        text(
            "settings.policy_require",
            rule=text(f"settings.require_{policy.require_encryption.value}"),
        ),
        text("settings.policy_override", allowed=yes_no[policy.allow_unencrypted_override]),
        text("settings.always_sign", value=yes_no[policy.always_sign]),
    ]
    lines += [text("settings.policy_errors", error=error.message) for error in load.errors]
    return lines


def _selectable(words: str) -> QLabel:
    label = QLabel(words)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SettingsDialog(QDialog):
    """OK saves the appearance; the account has its own dialog; the policy is shown only."""

    def __init__(
        self,
        settings: Settings,
        policy: PolicyLoad,
        account: str,
        change_account: Callable[[], object] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(text("settings.title"))
        self._settings = settings
        inner = QWidget()
        column = QVBoxLayout(inner)
        look = QGroupBox(text("settings.appearance"))
        look_column = QVBoxLayout(look)
        self.appearance = QButtonGroup(self)
        self.appearance_buttons: dict[Appearance, QRadioButton] = {}
        current = settings.get(APPEARANCE)
        for choice in Appearance:
            button = QRadioButton(text(f"settings.appearance_{choice.value}"))
            button.setObjectName(f"appearance_{choice.value}")
            button.setChecked(choice is current)
            self.appearance.addButton(button)
            self.appearance_buttons[choice] = button
            look_column.addWidget(button)
        look_column.addWidget(_selectable(text("settings.appearance_note")))
        column.addWidget(look)
        mail = QGroupBox(text("settings.account"))
        mail_row = QHBoxLayout(mail)
        self.account_label = _selectable(account)
        self.account_label.setObjectName("settingsAccount")
        mail_row.addWidget(self.account_label, 1)
        if change_account is not None:
            change = QPushButton(text("settings.account_change"))
            change.setObjectName("changeAccount")
            change.clicked.connect(lambda _=False: change_account())
            mail_row.addWidget(change, 0, Qt.AlignmentFlag.AlignTop)
        column.addWidget(mail)
        rules = QGroupBox(text("settings.policy"))
        rules_column = QVBoxLayout(rules)
        self.policy_label = _selectable("\n".join(policy_lines(policy)))
        self.policy_label.setObjectName("settingsPolicy")
        rules_column.addWidget(self.policy_label)
        column.addWidget(rules)
        column.addStretch(1)
        scroll = QScrollArea()  # fits a small screen: the content scrolls, the buttons stay
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def chosen_appearance(self) -> Appearance:
        for choice, button in self.appearance_buttons.items():
            if button.isChecked():
                return choice
        return APPEARANCE.default

    def accept(self) -> None:
        try:
            self._settings.set(APPEARANCE, self.chosen_appearance())
        except UserFacingError as error:
            QMessageBox.warning(self, text("settings.title"), error.message)
            return
        super().accept()
