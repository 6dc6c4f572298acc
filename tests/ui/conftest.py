"""Fixtures for the window tests: one demo home per session, fresh services per test."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app.application import Application
from desktop_app.core.phi.override import OverrideReason
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.core.recipients.send_gate import Choice, GateDecision, SendPlan
from desktop_app.core.recipients.status import Evidence
from desktop_app.services.audit import AuditLog
from desktop_app.services.certificates.compose_evidence import ComposeEvidence
from desktop_app.services.certificates.facts import CertificateFacts
from desktop_app.services.demo.home import DemoHome, ensure_demo_home
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.outbox.submission import MessageContent, Submitted
from desktop_app.services.paths import resource_folder
from desktop_app.services.policy_files import PolicyLoad
from desktop_app.services.secrets import SecretStore
from desktop_app.ui.background import BackgroundRunner
from desktop_app.ui.compose.prompts import CloseChoice, Confirmation, DraftPlace
from desktop_app.ui.compose.session import ComposeContext, ComposeStart
from desktop_app.ui.compose.window import ComposeWindow
from desktop_app.ui.theme import Theme
from tests.factories.certs import NOW
from tests.services.keyrings import InMemoryKeyring
from tests.ui.make_screenshots import DEMO_NOW

# Qt's offscreen platform does not implement QPlatformWindow::propagateSizeHints and warns
# each time a window with a layout is shown; qt_log_level_fail would fail every test on it.
OFFSCREEN_SIZE_HINTS = r"^This plugin does not support propagateSizeHints\(\)$"
# ... nor raising a window or grabbing the keyboard, which the address completion pop-up asks.
OFFSCREEN_POPUPS = r"^This plugin does not support (raise\(\)|grabbing the keyboard)$"
CLINIC_POLICY = Policy(
    internal_domains=frozenset({"clinic.example"}),
    require_encryption=RequireEncryption.EXTERNAL,
    allow_unencrypted_override=True,
)
ME = parse_mailbox("Alex Morgan <you@clinic.example>")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Close compose windows without the Save draft question (a modal dialog nobody would
    answer) before pytest-qt (an inner wrapper) closes the widgets it was given."""
    if QApplication.instance() is not None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ComposeWindow):
                widget.discard_on_close()
    return (yield)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, OFFSCREEN_POPUPS))


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> DemoHome:
    """The demo home, built once for the session with the clock at ``DEMO_NOW``."""
    return ensure_demo_home(
        tmp_path_factory.mktemp("demo") / "home", resource_folder() / "demo", DEMO_NOW
    )


@pytest.fixture
def demo_copy(demo_home: DemoHome, tmp_path: Path) -> Path:
    """A private copy of the demo home, for tests that write outbox or audit files."""
    copy = tmp_path / "home"
    shutil.copytree(demo_home.root, copy)
    return copy


@pytest.fixture(scope="session")
def theme(qapp: object) -> Theme:
    chosen = Theme(resource_folder(), dark=False)
    chosen.apply(qapp)  # type: ignore[arg-type]
    return chosen


@pytest.fixture
def runner(qapp: object) -> Iterator[BackgroundRunner]:
    helper = BackgroundRunner()
    yield helper
    helper.shutdown()


@pytest.fixture
def lookup(demo_home: DemoHome) -> Iterator[ComposeEvidence]:
    lazy = ComposeEvidence(demo_home.store, demo_home.directory, lambda: DEMO_NOW)
    yield lazy
    lazy.close()


class RecordingOutbox:
    """An outbox that keeps what it is given."""

    def __init__(self) -> None:
        self.submitted: list[tuple[MessageContent, SendPlan]] = []

    def submit(self, message: MessageContent, plan: SendPlan) -> Submitted:
        self.submitted.append((message, plan))
        return Submitted(Path("outbox") / f"{len(self.submitted)}.json")


class ScriptedPrompts:
    """Answers the send questions as told, and remembers what was asked."""

    def __init__(
        self,
        choice: Choice = Choice.KEEP_EDITING,
        confirmation: Confirmation = Confirmation.SEND,
        close: CloseChoice = CloseChoice.DISCARD,
    ) -> None:
        self.choice = choice
        self.confirmation = confirmation
        self.close = close
        self.closings: list[DraftPlace] = []
        self.decisions: list[GateDecision] = []
        self.confirmations: list[GateDecision] = []
        self.informed: list[tuple[str, str]] = []
        self.reason: OverrideReason | None = OverrideReason.PATIENT_CONSENT
        self.reasons_asked: list[GateDecision] = []

    def choose(self, decision: GateDecision) -> Choice:
        self.decisions.append(decision)
        return self.choice

    def confirm_unencrypted(self, decision: GateDecision) -> Confirmation:
        self.confirmations.append(decision)
        return self.confirmation

    def inform(self, title: str, message: str) -> None:
        self.informed.append((title, message))

    def ask_close(self, place: DraftPlace) -> CloseChoice:
        self.closings.append(place)
        return self.close

    def phi_reason(self, decision: GateDecision) -> OverrideReason | None:
        self.reasons_asked.append(decision)
        return self.reason


class HeldLookup:
    """A lookup whose answers wait until ``release()``: lookups stay pending until then."""

    def __init__(self, inner: ComposeEvidence) -> None:
        self._inner = inner
        self._gate = threading.Event()

    def release(self) -> None:
        self._gate.set()

    def collect(self, address_keys: Sequence[str]) -> Evidence:
        self._gate.wait(timeout=30)
        return self._inner().collect(address_keys)

    def facts(self, fingerprint: str) -> CertificateFacts:
        return self._inner().facts(fingerprint)


@pytest.fixture
def outbox() -> RecordingOutbox:
    return RecordingOutbox()


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


ContextFactory = Callable[..., ComposeContext]


@pytest.fixture
def make_context(
    runner: BackgroundRunner,
    lookup: ComposeEvidence,
    outbox: RecordingOutbox,
    audit: AuditLog,
    theme: Theme,
) -> ContextFactory:
    def make(
        policy: Policy = CLINIC_POLICY,
        lookup_provider: Callable[[], object] | None = None,
        identities: tuple[Mailbox, ...] = (ME,),
    ) -> ComposeContext:
        return ComposeContext(
            runner=runner,
            lookup=lookup_provider or lookup,  # type: ignore[arg-type]
            policy=policy,
            identities=identities,
            outbox=outbox,
            audit=audit,
            clock=lambda: DEMO_NOW,
            theme=theme,
        )

    return make


WindowFactory = Callable[..., ComposeWindow]


@pytest.fixture
def open_compose(qtbot: QtBot, make_context: ContextFactory) -> WindowFactory:
    """Open a compose window and wait until its first lookups have answered."""

    def open_window(
        start: ComposeStart | None = None,
        prompts: ScriptedPrompts | None = None,
        context: ComposeContext | None = None,
        *,
        settle: bool = True,
    ) -> ComposeWindow:
        window = ComposeWindow(context or make_context(), start or ComposeStart(), prompts)
        qtbot.addWidget(window)
        window.show()
        if settle:
            settled(qtbot, window)
        return window

    return open_window


def settled(qtbot: QtBot, window: ComposeWindow) -> None:
    """Wait until no lookup is pending, the background helper is idle and every token
    shows its recipient's current verdict."""
    runner = window.context.runner
    qtbot.waitUntil(
        lambda: (
            not window.session.checking
            and not runner.busy
            and all(field.up_to_date for field in window.fields.values())
        ),
        timeout=10_000,
    )


def own_application(
    qapp: QApplication, home: Path, keyring: InMemoryKeyring, theme: Theme
) -> Application:
    """The application outside the demo, over ``home``, with ``keyring`` as the OS keyring
    and its main window made."""
    app = Application(
        qapp,
        access=MailAccess(home, clock=lambda: NOW, secrets=lambda: SecretStore(keyring)),
        demo_user=None,
        policy=PolicyLoad(Policy()),
        theme=theme,
    )
    app.main_window()
    return app
