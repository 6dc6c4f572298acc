"""``smime-guard seal``: sign and encrypt a message for every recipient, or write nothing."""

import argparse
import dataclasses
from pathlib import Path

from desktop_app.cli.directory_evidence import directories_evidence
from desktop_app.cli.draft_sources import address_field
from desktop_app.cli.exit_codes import EXIT_NOT_ENCRYPTED, EXIT_OK
from desktop_app.cli.output import report_error, say
from desktop_app.cli.time_arguments import parse_time
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.phi.describe import describe_subject
from desktop_app.core.phi.message_scan import scan_subject
from desktop_app.core.policy.model import PhiMode
from desktop_app.core.recipients.addresses import parse_mailbox
from desktop_app.core.recipients.evidence import (
    keys_used,
)
from desktop_app.core.recipients.lifecycle import own_expiry_notice
from desktop_app.core.recipients.status import Draft
from desktop_app.core.smime.seal import (
    NotAllCoveredError,
    OutgoingMessage,
)
from desktop_app.services.attachment_files import AttachmentFile
from desktop_app.services.certificates.pins import load_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.files import InputFileError, NewFiles, read_input_file
from desktop_app.services.identity_store import load_identity, load_own_certificate
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.outbox.sealing import seal_from_store
from desktop_app.services.paths import store_path
from desktop_app.services.phi_scan import phi_rules
from desktop_app.services.policy_files import load_policy
from desktop_app.services.revocation.crl_cache import crl_cache_beside


class IdentityMismatchError(UserFacingError):
    """--from is not an address of the user's own certificate."""


def _body(path: Path) -> str:
    try:
        return read_input_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(text("file.not_utf8", path=path)) from None


def _message(arguments: argparse.Namespace, *, protect_headers: bool) -> OutgoingMessage:
    draft = Draft(
        to=address_field(arguments.to),
        cc=address_field(arguments.cc),
        bcc=address_field(arguments.bcc),
        sender=parse_mailbox(arguments.sender),
    )
    # Read from their files as the message is sealed, never held whole.
    attachments = tuple(
        Attachment(Path(name).name, AttachmentFile.open(Path(name))) for name in arguments.attach
    )
    body = InnerMessage(_body(Path(arguments.body_file)), attachments=attachments)
    return OutgoingMessage(draft, arguments.subject, body, protect_headers=protect_headers)


def _file_name(number: int, bcc: str | None) -> str:
    audience = f"bcc-{bcc}" if bcc else "to-cc"
    safe = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in audience)
    return f"{number:02d}-{safe}.eml"


def run_seal(arguments: argparse.Namespace, access: MailAccess) -> int:
    """Seal; exit 3 and write nothing when a recipient cannot read encrypted mail."""
    home = access.home
    at = parse_time(arguments.at)
    policy = load_policy(home).policy
    message = _message(arguments, protect_headers=policy.protect_headers)
    sender = message.draft.sender
    assert sender is not None
    # An unsigned seal needs only the certificate (the user reads their own copy), so it
    # never asks the keyring: no D-Bus, no prompt for a locked keyring.
    identity = (
        load_own_certificate(home) if arguments.no_sign else load_identity(home, access.secrets())
    )
    if sender.key not in identity.addresses:
        raise IdentityMismatchError(
            text(
                "cli.from_not_identity",
                address=sender.address,
                addresses=", ".join(identity.addresses) or "none",
            )
        )
    out_dir = Path(arguments.out_dir)
    with CertStore.open(store_path(home)) as store:
        draft, lookups = directories_evidence(
            access, message.draft, store, at, offline=arguments.offline
        )
        message = dataclasses.replace(message, draft=draft)
        # Each envelope is encrypted straight into its file: a large message is never held
        # in memory, and the files appear only when every envelope is complete.
        with NewFiles(out_dir) as new_files:
            try:
                result = seal_from_store(
                    store,
                    message,
                    lookups,
                    identity=identity,
                    at=at,
                    sign=not arguments.no_sign,
                    sink_for=lambda number, bcc: new_files.open(_file_name(number, bcc)),
                    revocation=policy.revocation,
                    offline=arguments.offline,
                    crl_cache=crl_cache_beside(store_path(home)),
                    pinned=load_pins(home),
                )
            except NotAllCoveredError as refused:
                report_error(text("cli.not_sealed", reason=refused.message))
                return EXIT_NOT_ENCRYPTED
            files = new_files.commit()
        store.record_uses(keys_used(result.status), at)
    for notice in result.notices:
        report_error(notice.message)
    own = own_expiry_notice(sender.address, identity.cert.not_valid_after_utc, at)
    if own is not None:
        report_error(own.message)
    if policy.phi is not PhiMode.OFF:
        # What the Subject gives away, said only when it gives something away.
        for finding in scan_subject(arguments.subject, phi_rules(policy)):
            report_error(describe_subject(finding, protected=policy.protect_headers))
    for path in files:
        say("cli.sealed", path=path)
    return EXIT_OK
