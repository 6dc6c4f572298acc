"""Opening received S/MIME messages for the preview: decrypt, verify, read the text.

Each message is opened from its own bytes through ``core.smime.open_message`` (nothing is
carried from one message to the next); plain messages pass through untouched. Runs on the
background helper: it loads the certificate code and reads the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.services.mailbox.source import (
    Encryption,
    MessageDetail,
    MessageListSource,
    MessagePage,
    MessageSecurity,
    MessageSummary,
    Signature,
)

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity
    from desktop_app.core.smime.layers import Layer
    from desktop_app.core.smime.open_message import OpenedMessage


def _signer_name(opened: OpenedMessage) -> str | None:
    from desktop_app.core.pki.certificates import display_name

    signature = opened.signature
    if signature is None:
        return None
    if signature.signer is not None:
        return display_name(signature.signer.subject)
    return signature.signer_addresses[0] if signature.signer_addresses else "?"


def _other_signatures(opened: OpenedMessage) -> list[Layer]:
    """The signature layers besides the one the text's verdict comes from."""
    from desktop_app.core.smime.layers import Covers, LayerKind

    signed = [layer for layer in opened.layers if layer.kind is LayerKind.SIGNED]
    if opened.signature_covers is Covers.ENVELOPE and len(signed) == 1:
        return []  # the banner already says what this one signature covers
    return [layer for layer in signed if layer.verdict is not opened.signature]


def security_of(opened: OpenedMessage) -> MessageSecurity:
    from desktop_app.core.smime.layers import Covers

    encryption = opened.encryption
    signature = opened.signature
    return MessageSecurity(
        cipher=encryption.cipher if encryption is not None else None,
        weak_cipher=encryption.weak if encryption is not None else False,
        signer=_signer_name(opened),
        signature_valid=signature.valid if signature is not None else None,
        reason=signature.reason if signature is not None else "",
        covers_text=opened.signature_covers is not Covers.ENVELOPE,
        notes=tuple(layer.description for layer in _other_signatures(opened) if layer.valid),
    )


def opened_warnings(opened: OpenedMessage) -> tuple[str, ...]:
    """Sentences the reader must see: odd signing times, and other signatures that fail."""
    broken = [layer.description for layer in _other_signatures(opened) if not layer.valid]
    return (*(warning.message for warning in opened.warnings), *broken)


def checked_summary(detail: MessageDetail) -> MessageSummary:
    """The list line of an opened message: its signature as checked, not as announced.

    A signature found inside an encrypted message counts too; a message whose layers
    could not be opened keeps what its headers said.
    """
    security = detail.security
    if security is None or security.failure is not None or security.signature_valid is None:
        return detail.summary
    signature = Signature.VALID if security.signature_valid else Signature.INVALID
    return dataclasses.replace(detail.summary, signature=signature)


def check_signatures(
    source: MessageListSource, summaries: tuple[MessageSummary, ...], limit: int = 50
) -> tuple[MessageSummary, ...]:
    """Open the signed or encrypted messages among ``summaries`` (at most ``limit``) and
    return their checked lines; a message that cannot be fetched is left out.

    Runs on the background helper: it reads (and for a server, downloads) each message.
    """
    checked: list[MessageSummary] = []
    wanted = [
        summary
        for summary in summaries
        if summary.signature is Signature.UNVERIFIED or summary.encryption is not Encryption.NONE
    ]
    for summary in wanted[:limit]:
        try:
            detail = source.fetch(summary.message_id)
        except UserFacingError:
            continue
        checked.append(checked_summary(detail))
    return tuple(checked)


class MessageOpener:
    """Opens one message with the user's identity and the store's trust anchors and CRLs.

    ``identity`` returns None when there is no identity (then encrypted messages stay
    closed and say why); ``clock`` is when signers' certificates are judged.
    """

    def __init__(
        self,
        store_path: Path,
        identity: Callable[[], Identity | None],
        clock: Callable[[], datetime],
    ) -> None:
        self._store_path = store_path
        self._identity = identity
        self._clock = clock

    def __call__(self, detail: MessageDetail) -> MessageDetail:
        summary = detail.summary
        if summary.encryption is Encryption.NONE and summary.signature is Signature.NONE:
            return detail
        from desktop_app.core.smime.open_message import IdentityNeededError, open_message
        from desktop_app.services.certstore.store import CertStore

        try:
            with CertStore.open(self._store_path) as store:
                trust = store.trust_context()
            identity = self._identity() if summary.encryption is not Encryption.NONE else None
            at = self._clock()
            try:
                opened = open_message(detail.raw, identity=identity, trust=trust, at=at)
            except IdentityNeededError:
                if identity is not None:
                    raise
                # An envelope inside a signature (signed after encrypting): the outside
                # looked signed only, so the identity is fetched now.
                identity = self._identity()
                opened = open_message(detail.raw, identity=identity, trust=trust, at=at)
        except UserFacingError as error:
            return dataclasses.replace(detail, security=MessageSecurity(failure=error.message))
        if opened.headers_protected:
            # RFC 9788: what the sender protected is what the reader sees (the outer
            # Subject is often "[...]"); differences are among the warnings.
            shown = opened.headers
            detail = dataclasses.replace(
                detail,
                summary=dataclasses.replace(summary, subject=shown.subject or summary.subject),
                to=shown.to if shown.to is not None else detail.to,
                cc=shown.cc if shown.cc is not None else detail.cc,
            )
        return dataclasses.replace(
            detail,
            body_text=opened.body_text,
            security=security_of(opened),
            warnings=(*detail.warnings, *opened_warnings(opened)),
        )


class OpeningMessageListSource:
    """A message list source whose messages are opened (decrypted, verified) as they are fetched."""

    def __init__(self, inner: MessageListSource, opener: Callable[[MessageDetail], MessageDetail]):
        self._inner = inner
        self._opener = opener

    @property
    def name(self) -> str:
        return self._inner.name

    def list_messages(self) -> tuple[MessageSummary, ...]:
        return self._inner.list_messages()

    def list_page(self, offset: int) -> MessagePage:
        return self._inner.list_page(offset)

    def fetch(self, message_id: str) -> MessageDetail:
        return self._opener(self._inner.fetch(message_id))

    def close(self) -> None:
        self._inner.close()
