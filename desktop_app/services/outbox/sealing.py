"""Sealing what the outbox receives: the send plan becomes real S/MIME envelopes.

The plan came from the send gate, but the verdict is taken again here from the store at
the moment of sealing; ``seal_message`` refuses rather than seal for part of a group.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity, OwnCertificate, identity_of
from desktop_app.core.messages import text
from desktop_app.core.mime.compose import Attachment, InnerMessage
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.core.policy.model import RevocationPolicy
from desktop_app.core.recipients.evidence import gather_evidence, keys_used
from desktop_app.core.recipients.status import Lookup
from desktop_app.core.smime import seal as smime_seal
from desktop_app.core.smime.unencrypted import unencrypted_messages
from desktop_app.services.attachment_files import AttachmentFile
from desktop_app.services.certificates.draft_evidence import (
    AccountDirectoryAsk,
    ConfiguredAsk,
    draft_evidence,
)
from desktop_app.services.certificates.pins import load_pins
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.revocation.crl_cache import CrlCache, crl_cache_beside
from desktop_app.services.revocation.weigh import revocation_weighed
from desktop_app.services.trust_anchors import certificate_judge

if TYPE_CHECKING:
    from desktop_app.core.recipients.send_gate import SendPlan
    from desktop_app.services.outbox.submission import MessageContent


class DemoIdentityError(UserFacingError):
    """The demo home's identity files are missing or damaged."""


def demo_identity(folder: Path, certificate_file: str, key_file: str) -> Identity:
    """The demo user's identity: its certificate chain and its labelled throwaway key.

    Only the demo keeps a key unencrypted on disk; it is a test key of a test CA.
    """
    try:
        chain = load_certificates((folder / certificate_file).read_bytes(), source_name="demo")
        key = serialization.load_pem_private_key((folder / key_file).read_bytes(), None)
    except (OSError, ValueError, UserFacingError) as error:
        raise DemoIdentityError(text("demo.identity_damaged", folder=folder)) from error
    return identity_of(chain[0], key, chain[1:], source=str(folder))


def seal_from_store(
    store: CertStore,
    message: smime_seal.OutgoingMessage,
    directory: Mapping[str, Lookup],
    *,
    identity: Identity | OwnCertificate,
    at: datetime,
    sign: bool,
    revocation: RevocationPolicy,
    offline: bool,
    crl_cache: CrlCache | None,
    sink_for: smime_seal.SinkFor | None = None,
    pinned: Mapping[str, str] | None = None,
) -> smime_seal.SealResult:
    """``message`` sealed with what the store knows (certificates, trust, the algorithms
    each reader advertised), what the directory said (lists, failures) and what CRLs and
    OCSP say under the ``revocation`` policy (fetched unless ``offline``).

    Raises:
        NotAllCoveredError: the one rule does not say Encrypted; nothing was sealed.
    """
    judge = certificate_judge(store, at)
    evidence = revocation_weighed(
        gather_evidence(message.draft, judge, directory, pinned),
        judge,
        store,
        revocation,
        offline=offline,
        cache=crl_cache,
    )
    chosen = [c.fingerprint for lookup in evidence.lookups.values() for c in lookup.candidates]
    return smime_seal.seal_message(
        message,
        evidence=evidence,
        identity=identity,
        certificate_for=store.certificate,
        at=at,
        sign=sign,
        capabilities=store.capabilities(chosen),
        sink_for=sink_for,
    )


class StoreSealer:
    """Seals an encrypted plan with the user's identity and the store's certificates, and
    with what the account's directory and the configured sources say, when given."""

    def __init__(
        self,
        store_path: Path,
        identity: Callable[[], Identity],
        clock: Callable[[], datetime],
        directory: AccountDirectoryAsk | None = None,
        *,
        configured: ConfiguredAsk | None = None,
        protect_headers: bool = False,
        revocation: RevocationPolicy = RevocationPolicy.PREFER,
        offline: bool = False,
        pins_home: Path | None = None,
    ) -> None:
        """``revocation``: the policy's; ``offline``: fetch no CRL or OCSP answer (demo);
        ``protect_headers``: seal with RFC 9788 header protection (the policy's);
        ``pins_home``: seal to the certificates the user pinned there, as the window shows;
        ``directory`` and ``configured`` are asked as the window asked them (lists, X.500
        addresses, certificates), see ``certificates.draft_evidence``."""
        self._pins_home = pins_home
        self._protect_headers = protect_headers
        self._revocation = revocation
        self._offline = offline
        self._store_path = store_path
        self._identity = identity
        self._clock = clock
        self._directory = directory
        self._configured = configured

    def __call__(self, message: MessageContent, plan: SendPlan) -> Sequence[bytes]:
        at = self._clock()
        outgoing = dataclasses.replace(
            _outgoing(message, plan), protect_headers=self._protect_headers
        )
        identity = self._identity()
        with CertStore.open(self._store_path) as store:
            found = draft_evidence(
                outgoing.draft,
                store,
                at,
                account=self._directory,
                configured=self._configured,
            )
            outgoing = dataclasses.replace(outgoing, draft=found.draft)
            result = seal_from_store(
                store,
                outgoing,
                found.lookups,
                identity=identity,
                at=at,
                sign=message.sign,
                revocation=self._revocation,
                offline=self._offline,
                crl_cache=crl_cache_beside(self._store_path),
                pinned=load_pins(self._pins_home) if self._pins_home is not None else None,
            )
            store.record_uses(keys_used(result.status), at)
        return [envelope.message for envelope in result.envelopes]

    def unencrypted(self, message: MessageContent, plan: SendPlan) -> Sequence[bytes]:
        """The messages of a plan the user chose to send without encryption (signed if
        asked): one for To and Cc, one per Bcc recipient."""
        if plan.encrypted:
            raise ValueError("an encrypted plan is sealed, never sent as it is")
        identity = self._identity() if message.sign else None
        return unencrypted_messages(
            _outgoing(message, plan), identity=identity, sign=message.sign, at=self._clock()
        )


def _outgoing(message: MessageContent, plan: SendPlan) -> smime_seal.OutgoingMessage:
    # Read from their files as the message is made, so a large one is never held whole.
    attachments = tuple(
        Attachment(path.name, AttachmentFile.open(path)) for path in message.attachments
    )
    return smime_seal.OutgoingMessage(
        plan.draft,
        message.subject,
        InnerMessage(message.body, attachments=attachments),
        in_reply_to=message.in_reply_to,
        references=message.references,
    )
