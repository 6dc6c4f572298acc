"""Strings about S/MIME messages: sealing, opening, signatures, MIME and lint."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "open.encrypted": (
        "Encrypted with {cipher}, key transport {transport}, for {count} "
        "{count:p:recipient|recipients}."
    ),
    "open.not_encrypted": "Not encrypted.",
    "open.signature_valid": "Signature valid: {reason}",
    "open.signature_invalid": "Signature NOT valid: {reason}",
    "open.not_signed": "Not signed.",
    "open.attachment": "Attachment: {name} ({size} bytes)",
    # sealing
    "seal.not_all_covered": (
        "Nothing was sealed: {summary} An encrypted message would be unreadable for: {names}"
    ),
    "seal.nothing_sealed": "Nothing was sealed: {summary}",
    "seal.no_sender": "A sender (From) with a certificate of their own is needed to seal.",
    "seal.content_changed": (
        "An attachment changed while the message was being signed and encrypted; nothing "
        "was sealed. Try again once the file is no longer being written."
    ),
    "seal.mixed_key_types": (
        "This message goes to RSA and EC certificates at once; older Thunderbird versions "
        "cannot open such a message."
    ),
    # opening
    "open.no_identity": (
        "This message is encrypted; import your own certificate and key (identity import) "
        "to open it."
    ),
    "open.too_many_layers": "The message has more than {count} S/MIME layers; it was not opened.",
    "security.encrypted": (
        "Encrypted with S/MIME. Opening encrypted messages comes with the S/MIME reader."
    ),
    "security.signed_unverified": "Signed with S/MIME; the signature has not been checked yet.",
    "security.plain": "Sent without encryption and without a signature.",
    "preview.nothing": "Select a message",
    "preview.loading": "Loading messages…",
    "preview.empty_mailbox": "No messages",
    "preview.from": "From: {value}",
    "preview.to": "To: {value}",
    "preview.cc": "Cc: {value}",
    "preview.date": "Date: {value}",
    "preview.encrypted_body": "This message is encrypted; its text cannot be shown yet.",
    # preview security (the message opened through the S/MIME reader)
    "security.encrypted_with": "Encrypted ({cipher})",
    "security.not_encrypted": "Not encrypted",
    "security.signed_valid": "Signed by {signer}, valid",
    "security.signed_invalid": "Signature NOT valid: {reason}",
    "security.not_signed": "not signed",
    "security.cannot_open": "Encrypted with S/MIME, but it cannot be opened: {reason}",
    "security.weak_cipher": "{cipher} is an old cipher that is no longer safe for new mail.",
    # harvest
    "harvest.harvested": "Learnt {address}'s certificate from their valid signature.",
    "harvest.not_valid": "No certificate was learnt: the signature is not valid. {reason}",
    "harvest.no_signer": "No certificate was learnt: the signer's certificate is not known.",
    "harvest.not_sender": (
        "No certificate was learnt: the signer's certificate is for {signer_addresses}, not for "
        "the sender {sender}."
    ),
    "harvest.no_address": "no address",
    "harvest.signed_ciphertext": (
        "No certificate was learnt: the signature covers an encrypted message, not what its "
        "author wrote, so it does not show who wrote it."
    ),
    # mime
    "mime.empty_filename": "The attachment “{original}” has no usable file name.",
    "mime.bad_content_type": (
        "“{content_type}” is not a valid content type (expected for example application/pdf)."
    ),
    "mime.text_not_encodable": "The message text contains characters that cannot be sent.",
    "mime.nested_too_deeply": "The message is nested more than {limit} levels deep.",
    "mime.too_many_parts": "The message has more than {limit} parts.",
    "mime.header_too_large": "The message has a header section larger than {limit} bytes.",
    "mime.too_many_headers": "The message has more than {limit} header fields in one part.",
    "mime.no_boundary": "A multipart section of the message has no valid boundary.",
    "mime.no_parts": "A multipart section of the message contains no parts.",
    "mime.bad_base64": "The part “{name}” of the message is damaged (invalid base64).",
    "mime.attachment_changed": (
        "The attachment “{name}” changed while the message was being made; nothing was "
        "sealed. Try again once the file is no longer being written."
    ),
    # envelopes
    "envelope.not_for_you": "This message was not encrypted for your certificate.",
    "envelope.malformed": (
        "The encrypted message is damaged or not in a format smime-guard can read."
    ),
    "envelope.not_encrypted": "This is not an encrypted message (its CMS content type is {kind}).",
    "envelope.signed_not_encrypted": "This message is signed but not encrypted.",
    "envelope.no_content": "The encrypted message carries no encrypted content.",
    "envelope.unsupported_cipher": (
        "The message is encrypted with {algorithm}, which smime-guard cannot decrypt."
    ),
    "envelope.unsupported_key_transport": (
        "The message's key for you is protected with {algorithm}, which smime-guard cannot use."
    ),
    "envelope.key_mismatch": (
        "The private key does not belong to the certificate it was given with."
    ),
    "envelope.unsupported_key_type": (
        "Certificates with {kind} keys cannot be used for encryption; only RSA and EC (P-256, "
        "P-384, P-521) keys can."
    ),
    "envelope.decrypt_failed": (
        "The message could not be decrypted with your key: it is damaged or was not encrypted "
        "for this key."
    ),
    "envelope.tampered": (
        "The encrypted message failed its integrity check: it was damaged or changed in transit."
    ),
    "envelope.no_recipients": "An encrypted message needs at least one recipient.",
    "envelope.not_smime_mime": (
        "This is not an S/MIME encrypted message (its type is {content_type}, expected "
        "application/pkcs7-mime)."
    ),
    "envelope.not_base64": (
        "The S/MIME part is sent as {encoding}; only base64 can carry the encrypted data."
    ),
    "envelope.bad_base64": "The S/MIME part is not valid base64.",
    "envelope.header_line_break": "The header {name} contains a line break.",
    "envelope.no_body": "The message has no body after its headers.",
    # signatures
    "signature.malformed": "The signature is damaged or not in a format smime-guard can read.",
    "signature.not_signed": "This is not a signed message (its CMS content type is {kind}).",
    "signature.no_signers": "The signature names no signer.",
    "signature.too_many_certificates": (
        "The signature carries {count} certificates; smime-guard reads at most {limit}."
    ),
    "signature.too_many_signers": (
        "The signature names {count} signers; smime-guard reads at most {limit}."
    ),
    "signature.no_content": (
        "The signature does not contain the signed text, and the text was not given separately."
    ),
    "signature.not_multipart_signed": (
        "This is not a signed message in two parts (its type is {content_type}, expected "
        "multipart/signed)."
    ),
    "signature.not_cms_protocol": (
        "The signed message uses the signature format {protocol}, not S/MIME "
        "(application/pkcs7-signature)."
    ),
    "signature.parts_missing": (
        "The signed message does not have the signed part and the signature."
    ),
    "signature.part_type": (
        "The second part of the signed message is {content_type}, not an S/MIME signature."
    ),
    "signature.not_base64": "The S/MIME signature is sent as {encoding}, not as base64.",
    "signature.bad_base64": "The S/MIME signature is not valid base64.",
    "signature.key_mismatch": "The private key does not belong to the signing certificate.",
    "signature.unsupported_signing_key": (
        "Signing needs an RSA or elliptic-curve key; this certificate has another kind."
    ),
    "signature.valid": "Signed by {signer}; the signature is valid.",
    "signature.signer_cert_missing": (
        "The signer's certificate is not in the message, so the signature cannot be checked."
    ),
    "signature.signer_cert_unreadable": "The signer's certificate in the message is damaged.",
    "signature.content_changed": (
        "The message was changed after it was signed: its content does not match the signature."
    ),
    "signature.content_type_mismatch": (
        "The signature was made for another kind of content than the one it carries."
    ),
    "signature.bad_signature": (
        "The signature does not match the signer's certificate: the message or its signature was "
        "changed, or the certificate is not the one that signed."
    ),
    "signature.broken_hash": (
        "The signature uses {algorithm}, which is broken; smime-guard does not check such "
        "signatures."
    ),
    "signature.weak_hash": (
        "The signature uses {algorithm}, which can be forged; it is not accepted as valid."
    ),
    "signature.unsupported_algorithm": (
        "The signature uses an algorithm smime-guard cannot check ({algorithm})."
    ),
    "signature.algorithm_mismatch": (
        "The signature's algorithms do not fit together or do not fit the signer's key."
    ),
    "signature.attribute_repeated": (
        "The signature's {attribute} attribute is missing or appears more than once."
    ),
    "signature.signer_key_unsupported": (
        "The signer's certificate has a kind of key smime-guard cannot check signatures with."
    ),
    "signature.signer_weak_rsa": (
        "The signer's RSA key has only {bits} bits; at least 2048 are needed for a valid signature."
    ),
    "signature.signer_expired": "The signer's certificate expired on {date}.",
    "signature.signer_not_yet_valid": "The signer's certificate is not valid until {date}.",
    "signature.signer_revoked": "The signer's certificate was revoked by its issuer on {date}.",
    "signature.signer_authority_revoked": (
        "The authority certificate “{name}” in the signer's chain was revoked on {date}."
    ),
    "signature.signer_weak_chain": (
        "The certificate “{name}” in the signer's chain is signed with {hash}, which can be forged."
    ),
    "signature.signer_untrusted": "The signer's certificate is not trusted. {reason}",
    "signature.signer_key_usage": "The signer's certificate may not be used to sign (key usage).",
    "signature.signer_not_for_email": (
        "The signer's certificate is not issued for e-mail protection (extended key usage)."
    ),
    "signature.signer_malformed": (
        "The signer's certificate has extensions that cannot be read, so it cannot be relied on."
    ),
    "signature.signer_not_sender": (
        "The message is signed by {signer_addresses}, not by the sender {sender}."
    ),
    "signature.signer_no_address": (
        "The signer's certificate names no e-mail address, so it cannot vouch for the sender "
        "{sender}."
    ),
    # lint
    "lint.unreadable": "The message cannot be read as MIME: {reason}",
    "lint.not_mime": "The file is not a mail message: it has no header fields.",
    "lint.legacy_content_type": (
        "The S/MIME part uses the legacy type {legacy}; current clients expect {current}."
    ),
    "lint.missing_smime_type": (
        "The S/MIME part has no smime-type parameter, so some clients cannot tell an "
        "encrypted message from a signed one."
    ),
    "lint.missing_name": (
        'The S/MIME part has no name parameter (name="{expected}"); Outlook may show it as an '
        "unknown attachment."
    ),
    "lint.cms_not_base64": (
        "The S/MIME part is sent as {encoding} instead of base64; mail relays may damage it."
    ),
    "lint.cms_unreadable": "An S/MIME part of the message is damaged or not valid CMS.",
    "lint.plaintext_beside_envelope": (
        "The message has a part ({content_type}) outside the encrypted envelope: it travels "
        "unencrypted, and clients may show it instead of the encrypted content."
    ),
    "lint.attachment_without_name": (
        "An attachment ({content_type}) has no file name; recipients see a made-up name."
    ),
    "lint.duplicate_attachment_name": (
        "{count} attachments are named “{name}”; some clients show or save only one of them."
    ),
    "lint.bare_lf": (
        "The message has line ends without a carriage return (LF only); signatures over such "
        "text fail in some clients, and relays rewrite them."
    ),
    "lint.bcc_header": (
        "The message carries a Bcc header: every recipient can see the blind-copy addresses."
    ),
    "lint.weak_cipher": (
        "The message is encrypted with {algorithm}, which is obsolete; use AES-256 or AES-128."
    ),
    "lint.weak_digest": "The signature uses the broken hash {algorithm}; use SHA-256 or stronger.",
    "lint.weak_key": (
        "The certificate of {subject} carried in the message has a {bits}-bit RSA key; at "
        "least 2048 bits are needed."
    ),
}
