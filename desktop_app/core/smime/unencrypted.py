"""A message that leaves without encryption because the user chose so: never after a failure.

Only two paths lead here, both decided by the send gate: Encrypt was off and the policy
did not require encryption, or the user picked "Send without encryption" where the policy
offers it (and that choice is audited). The body is the same inner MIME a sealed message
carries, signed when asked. Like sealed mail, each Bcc recipient gets a copy of their own
addressed to them alone, so a transport that delivers to the header addresses (Exchange)
never reveals a Bcc.
"""

import email.utils
from collections.abc import Callable, Sequence
from datetime import datetime

from desktop_app.core.errors import UserFacingError
from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.mime.compose import build_inner_mime
from desktop_app.core.recipients.addresses import Mailbox
from desktop_app.core.smime.outer_headers import folded_header_lines, message_headers
from desktop_app.core.smime.seal import OutgoingMessage
from desktop_app.core.smime.signature_mime import multipart_signed
from desktop_app.core.smime.signature_sign import sign_detached


class CannotSignError(UserFacingError):
    """Signing was asked for but there is no identity to sign with."""


def _headers(
    message: OutgoingMessage,
    to: Sequence[Mailbox],
    cc: Sequence[Mailbox],
    at: datetime,
    message_id: str,
) -> dict[str, str]:
    sender = message.draft.sender
    assert sender is not None
    headers = message_headers(
        sender=sender,
        to=to,
        cc=cc,
        subject=message.subject,
        at=at,
        message_id=message_id,
        in_reply_to=message.in_reply_to,
        references=message.references,
    )
    headers["MIME-Version"] = "1.0"
    return headers


def unencrypted_messages(
    message: OutgoingMessage,
    *,
    identity: Identity | None,
    sign: bool,
    at: datetime,
    new_message_id: Callable[[], str] | None = None,
) -> tuple[bytes, ...]:
    """The messages to send: one for To and Cc (if any), then one per Bcc recipient.

    Raises:
        CannotSignError: ``sign`` without an identity; nothing is produced unsigned instead.
        UserFacingError: no sender, or an attachment that cannot be put into MIME.
    """
    draft = message.draft
    if draft.sender is None:
        raise UserFacingError(text("seal.no_sender"))
    if sign and identity is None:
        raise CannotSignError(text("sending.cannot_sign"))
    domain = draft.sender.address.rpartition("@")[2]
    make_id = new_message_id or (lambda: email.utils.make_msgid(domain=domain))
    content = build_inner_mime(message.body)
    if sign:
        assert identity is not None
        signature = sign_detached(
            content, identity.cert, identity.key, chain=identity.chain, signing_time=at
        )
        content = multipart_signed(content, signature)
    audiences: list[tuple[Sequence[Mailbox], Sequence[Mailbox]]] = []
    if draft.to or draft.cc:
        audiences.append((draft.to, draft.cc))
    audiences.extend(((hidden,), ()) for hidden in draft.bcc)
    return tuple(
        folded_header_lines(_headers(message, to, cc, at, make_id())) + content
        for to, cc in audiences
    )
