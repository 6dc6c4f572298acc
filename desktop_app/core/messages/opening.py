"""Strings about opening received messages: S/MIME layers, what each signature covers,
signing times, HTML bodies, and files that are not mail messages."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # what is and is not a mail message
    "open.not_a_message": "The file is not a mail message: {reason} Nothing was opened.",
    "open.not_a_message.empty": "the file is empty.",
    "open.not_a_message.no_header": (
        'it does not start with mail header fields ("Name: value" lines).'
    ),
    "open.not_a_message.binary_header": "its header section holds binary data.",
    "open.not_a_message.no_mail_fields": (
        "its header section has none of From, Date, Content-Type or MIME-Version."
    ),
    "open.duplicate_from": (
        "The message has {count} From: header fields, so who sent it cannot be told; it was "
        "not opened and nothing was learnt from it."
    ),
    # layers, outermost first
    "layer.signed_text": "Signed by {signer}, over the text you read: {reason}",
    "layer.signed_envelope": (
        "Signed by {signer} around the encryption: the signature covers the encrypted "
        "envelope, not the text you read. {reason}"
    ),
    "layer.encrypted": (
        "Encrypted with {cipher} ({transport}) for {count:p:1 recipient|{count} recipients}."
    ),
    "layer.unknown_signer": "an unknown signer",
    "open.layers_heading": "Layers, outermost first:",
    "open.layer_line": "  {number}. {description}",
    "open.signed_around_encryption": (
        "Signed around the encryption by {signer}: the signature does not cover what you "
        "read, so it does not show who wrote the text."
    ),
    "security.signed_around_encryption": (
        "signed around the encryption by {signer}: the signature does not cover what you read"
    ),
    # signing time
    "warning.signing_time_far_from_date": (
        "The signature says it was made {signing_time}, {hours:p:1 hour|{hours} hours} away "
        "from the "
        "message's Date: {date}. One of them is wrong; treat the dates with care."
    ),
    "warning.signing_time_in_future": (
        "The signature says it was made {signing_time}, which is in the future; the "
        "algorithms it advertises were not stored."
    ),
    "harvest.capabilities_older": (
        "The algorithms this signature advertises are older than the ones already known for "
        "this certificate; they were not stored."
    ),
    "open.warning": "Warning: {message}",
    # HTML
    "open.html_only": (
        "(The message has only an HTML body; shown as text, without loading pictures or links.)"
    ),
    # RSA-OAEP
    "envelope.oaep_unsupported_parameter": (
        "The message's key for you is protected with RSA-OAEP using {parameter}, which "
        "RFC 4055 does not allow and smime-guard cannot use."
    ),
    "envelope.oaep_hash": "the hash {algorithm}",
    "envelope.oaep_mask": "the mask generation function {algorithm}",
    "envelope.oaep_mask_hash": "MGF1 with the hash {algorithm}",
    "envelope.oaep_label_source": "the label source {algorithm}",
    # lint
    "lint.duplicate_header": (
        "The header field {name} appears {count} times; RFC 5322 allows it once, and clients "
        "disagree about which one counts."
    ),
}
