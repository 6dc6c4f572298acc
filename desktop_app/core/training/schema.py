"""Training scenarios as data: what one scenario file describes (``scenario_file`` reads it)."""

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.errors import UserFacingError
from desktop_app.core.policy.model import Policy, RequireEncryption
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Overall, StatusCode


class ScenarioError(UserFacingError):
    """A scenario file that cannot be used; ``source`` is the file, ``field`` the field."""

    def __init__(self, message: str, *, source: str, field: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.field = field


class Decision(StrEnum):
    """What the trainee may decide for a draft."""

    SEND_ENCRYPTED = "send_encrypted"
    REMOVE_RECIPIENTS = "remove_recipients"
    SEND_UNENCRYPTED = "send_unencrypted"
    KEEP_EDITING = "keep_editing"
    ASK_FOR_SIGNED = "ask_for_signed"


class Situation(StrEnum):
    """The certificate situation the sandbox's demo CA makes for one person."""

    VALID = "valid"
    NONE = "none"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WRONG_USAGE = "wrong_usage"  # signing only
    OTHER_ADDRESS = "other_address"  # directory entry holding another address's certificate
    UNTRUSTED = "untrusted"  # issued by a CA nobody trusts here
    CHANGED_KEY = "changed_key"  # a new key since the last encrypted message


class CertificateOrigin(StrEnum):
    """Where the person's certificate reached the store (shown in certificate details)."""

    IMPORTED = "imported"
    DIRECTORY = "directory"
    HARVESTED = "harvested"  # learnt from a signed message


@dataclass(frozen=True, slots=True)
class Person:
    mailbox: Mailbox
    situation: Situation
    source: CertificateOrigin = CertificateOrigin.IMPORTED
    certificate_address: str | None = None
    expect: StatusCode | None = None


@dataclass(frozen=True, slots=True)
class Original:
    """The received message a Reply, Reply All or Forward starts from."""

    sender: Mailbox
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    subject: str
    body: str
    encrypted: bool


@dataclass(frozen=True, slots=True)
class DraftSpec:
    """Recipients and text the trainee's draft has besides what a reply prefills."""

    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    bcc: tuple[Mailbox, ...] = ()
    subject: str = ""
    body: str = ""
    attachments: tuple[tuple[str, str], ...] = ()  # (file name, its text)


@dataclass(frozen=True, slots=True)
class PhoneView:
    """What the flawed phone showed for this draft, for the side-by-side comparison."""

    shown: Overall
    note: str


@dataclass(frozen=True, slots=True)
class ExpectedAnswer:
    """The right decisions for a scenario, why, and the status the draft should show."""

    correct: frozenset[Decision]
    explanation: str
    expect: Overall
    notices: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Scenario:
    """One training scenario; ``id`` is the file name without ``.toml``."""

    id: str
    title: str
    story: str
    order: int
    action: ComposeAction
    sender: Mailbox
    people: tuple[Person, ...]
    original: Original | None
    draft: DraftSpec
    policy: Policy
    answer: ExpectedAnswer
    phone: PhoneView | None = None

    def person(self, key: str) -> Person | None:
        return next((p for p in self.people if p.mailbox.key == key), None)


# The practice the scenarios are set in, unless a scenario says otherwise.
DEFAULT_POLICY = Policy(
    internal_domains=frozenset({"clinic.example"}),
    require_encryption=RequireEncryption.EXTERNAL,
    allow_unencrypted_override=True,
)
