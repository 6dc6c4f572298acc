"""User-visible strings, in one place and ready for translation."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # command line and input files
    "cli.error": "smime-guard: {message}",
    "cli.internal_error": "smime-guard: internal error; details are in the log file.",
    "cli.password_env_unset": (
        "The environment variable {variable} (from --password-env) is not set."
    ),
    "cli.imported": "{file}: {added} new certificate(s), {known} already known.",
    "cli.not_a_ca": "Skipped {subject}: not a CA certificate.",
    "cli.no_ca_in_file": "{file} holds no CA certificate; nothing trusted.",
    "cli.trusted": "Trusted: {subject}",
    "cli.already_trusted": "Already trusted: {subject}",
    "cli.crl_unknown_signer": (
        "{file} is not signed by a known CA ({issuer}); trust or import that CA first. "
        "Nothing was stored."
    ),
    "cli.crl_stored": "Stored the CRL of {issuer}.",
    "cli.crl_older": "Kept the newer CRL already stored for {issuer}.",
    "cli.no_certificates": "No recipient certificates stored.",
    "cli.bad_time": "“{value}” is not an ISO 8601 time; use for example 2026-06-01T12:00:00Z.",
    "cli.headline_encrypted": "Encrypted",
    "cli.headline_not_encrypted": "Not Encrypted",
    "cli.warnings": "Warnings:",
    "file.too_large": "{path} is too large ({size} bytes) to be a certificate or message.",
    "file.missing": "{path} does not exist.",
    "file.is_folder": "{path} is a folder, not a file.",
    "file.unreadable": "{path} cannot be read: {reason}.",
    "file.unwritable": "{path} cannot be written: {reason}. Nothing was written.",
    "file.not_utf8": "{path} is not UTF-8 text.",
    "cli.sealed": "{path}",
    "cli.not_sealed": "Not sealed: {reason}",
    "cli.from_not_identity": (
        "{address} is not an address of your certificate ({addresses}); choose --from "
        "accordingly or import the right identity."
    ),
    "cli.harvested": "Learnt the certificate of {address}.",
    "cli.not_harvested": "No certificate learnt: {reason}",
    "cli.lint_clean": "No interoperability faults found.",
    "open.encrypted": (
        "Encrypted with {cipher}, key transport {transport}, for {count} recipient(s)."
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
    "seal.no_sender": "A sender (From) with a certificate of their own is needed to seal.",
    "seal.subject_not_encrypted": (
        "The Subject line is not encrypted; keep patient details out of it."
    ),
    "seal.mixed_key_types": (
        "This message goes to RSA and EC certificates at once; older Thunderbird versions "
        "cannot open such a message."
    ),
    # demo
    "demo.identity_damaged": (
        "The demo identity in {folder} is missing or damaged; delete the demo folder to "
        "build it again."
    ),
    # opening
    "open.no_identity": (
        "This message is encrypted; import your own certificate and key (identity import) "
        "to open it."
    ),
    "open.too_many_layers": "The message has more than {count} S/MIME layers; it was not opened.",
    # recipient status (the one rule)
    "status.ok": "A valid certificate is available: this recipient can read encrypted mail.",
    "status.no_certificate": (
        "No certificate is known for {address}: they could not read an encrypted message."
    ),
    "status.pending": "Still looking up a certificate for {address}.",
    "status.lookup_failed": "The certificate lookup for {address} failed: {failure}",
    "status.unresolved_legacy_dn": (
        "{address} is an internal Exchange address that has not been resolved to an e-mail "
        "address, so its certificate cannot be found."
    ),
    "status.list_ok": "All {count} members of the list {address} can read encrypted mail.",
    "status.list_uncovered": (
        "{uncovered} of {count} members of the list {address} cannot read encrypted mail: {names}"
    ),
    "status.list_empty": "The list {address} has no members that could be looked up.",
    "summary.no_recipients": "Add recipients to see if this message can be encrypted.",
    "summary.all_covered": "All {count} recipients can read encrypted mail.",
    "summary.some_uncovered": "{uncovered} of {count} recipients cannot read encrypted mail.",
    "notice.duplicate_recipient": (
        "{address} appears more than once; kept in {kept}, removed from {dropped}."
    ),
    "notice.no_recipients": "The message has no recipients.",
    "notice.sender_certificate_missing": (
        "You have no usable certificate of your own ({address}): your Sent Items copy of an "
        "encrypted message would be unreadable to you."
    ),
    "notice.key_changed": (
        "The certificate key for {address} has changed since you last wrote to them encrypted. "
        "Confirm with them that the new certificate is theirs."
    ),
    # addresses
    "address.bad_idn": "The domain “{domain}” is not a valid international domain name.",
    "address.empty": "No e-mail address was given.",
    "address.not_one": "Cannot read “{element}”: expected one address, found {count}.",
    "address.unexpected": "Cannot read “{element}”: unexpected “{found}”.",
    "address.unclosed": "Cannot read “{element}”: the “{found}” is never closed.",
    "address.line_break": "Cannot read “{element}”: it contains a line break ({code}).",
    "address.control": "Cannot read “{element}”: it contains the control character {code}.",
    "address.invisible": "Cannot read “{element}”: it contains the invisible character {code}.",
    "address.at_lookalike": (
        "Cannot read “{element}”: “{found}” ({code}) looks like “@” but is another character."
    ),
    "address.missing_separator": (
        "Cannot read “{element}”: “{found}” follows an address with no comma between them."
    ),
    "address.name_without_brackets": (
        "Cannot read “{element}”: put the address after a name in angle brackets, "
        "like “{name} <{address}>”."
    ),
    "address.not_an_address": "Cannot read “{element}”: “{name}” is not an e-mail address.",
    "address.unquoted_comma": (
        "Cannot read “{element}”: “{name}” is not an e-mail address. If it is part of the "
        "name, put the whole name in quotes, like “{suggestion}”."
    ),
    "address.name_control": (
        "Cannot read “{element}”: once decoded, the name contains the hidden character {code}."
    ),
    "address.empty_brackets": "Cannot read “{element}”: the angle brackets hold no address.",
    "address.route": "Cannot read “{element}”: source routes (“<@host:…>”) are not accepted.",
    "address.missing_at": "Cannot read “{element}”: “{found}” has no “@” and domain.",
    "address.missing_domain": "Cannot read “{element}”: “{found}” has no domain after the “@”.",
    "address.group_not_allowed": (
        "Cannot read “{element}”: a group (“Name: …;”) is not accepted here."
    ),
    "address.group_unclosed": (
        "Cannot read “{element}”: the group “{name}” is not closed with “;”."
    ),
    "address.domain_literal": (
        "Cannot read “{element}”: addresses with an IP address in brackets (“{found}”) are "
        "not accepted; use the domain name."
    ),
    "address.bad_legacy_dn": (
        "Cannot read “{element}”: “{found}” is not a valid Exchange internal address."
    ),
    "address.local_too_long": (
        "Cannot read “{element}”: the part before “@” is longer than 64 bytes."
    ),
    "address.empty_local": "Cannot read “{element}”: the part before “@” is empty.",
    "address.bad_local_char": "Cannot read “{element}”: “{found}” cannot be part of an address.",
    "address.bad_dots": (
        "Cannot read “{element}”: “{found}” starts or ends with a dot, or has two dots in a row."
    ),
    "address.single_label": (
        "Cannot read “{element}”: “{found}” is not a full domain name (it has no dot)."
    ),
    "address.numeric_domain": "Cannot read “{element}”: “{found}” is not a domain name.",
    "address.dot_lookalike": (
        "Cannot read “{element}”: the domain “{found}” contains a character that looks like a "
        "dot but is not one."
    ),
    "address.domain_too_long": (
        "Cannot read “{element}”: the domain is longer than 253 characters."
    ),
    "address.label_too_long": (
        "Cannot read “{element}”: the domain has a part longer than 63 characters (“{found}”)."
    ),
    "address.bad_domain_char": (
        "Cannot read “{element}”: “{found}” cannot be part of a domain name there."
    ),
    "address.lookalike_mixed": (
        "The domain “{domain}” ({ascii_domain}) mixes {scripts} letters in “{label}”, a common "
        "way to imitate another domain. Check the address with the recipient."
    ),
    "address.lookalike_whole_script": (
        "The domain “{domain}” ({ascii_domain}) is written in {script} letters that look like "
        "“{latin}”. Check the address with the recipient."
    ),
    "address.lookalike_latin": (
        "The domain “{domain}” ({ascii_domain}) uses “{char}”, which looks like “{looks_like}”. "
        "Check the address with the recipient."
    ),
    # replies
    "replies.no_from": (
        "This file is not an e-mail message this program can read: it has no From header."
    ),
    "replies.not_utf8": "The {header} header of this message is not readable text.",
    "replies.control": (
        "The {header} header of this message contains a line break or control character."
    ),
    "replies.bad_header": "The {header} header of this message cannot be read. {reason}",
    # certificate files
    "cert.unreadable": "{source} does not contain a certificate this program can read.",
    "crl.unreadable": "{source} is not a certificate revocation list this program can read.",
    # certificates
    "cert.empty": "{source} is empty.",
    "cert.none": "{source} holds no certificates.",
    "cert.damaged": "Certificate {number} in {source} is damaged and cannot be read.",
    "cert.unsupported_key": (
        "Certificate {number} in {source} has a kind of key this program does not support."
    ),
    "cert.password_needed": (
        "{source} is protected by a password: enter it to read the certificates."
    ),
    "cert.password_wrong": "The password for {source} is wrong, or the file is damaged.",
    "cert.pkcs12_too_costly": (
        "{source} asks for {rounds:,} rounds of password processing, far more than such files "
        "use, so it was not opened."
    ),
    "cert.unnamed": "(unnamed)",
    "cert.usable": "This certificate can be used to encrypt mail to {address}.",
    "cert.malformed": (
        "The certificate has extensions that cannot be read, so nothing in it can be relied on."
    ),
    "cert.wrong_address": "The certificate is issued for {issued_for}, not {address}.",
    "cert.no_address": (
        "The certificate names no e-mail address, so it cannot be used for {address}."
    ),
    "cert.key_usage_rsa": (
        "The certificate's key usage does not allow key encipherment, which encrypting to its "
        "RSA key needs."
    ),
    "cert.key_usage_ec": (
        "The certificate's key usage does not allow key agreement, which encrypting to its "
        "elliptic-curve key needs."
    ),
    "cert.not_for_email": (
        "The certificate is not issued for e-mail protection (see its extended key usage)."
    ),
    "cert.key_signing_only": "The certificate's {kind} key can sign but cannot encrypt.",
    "cert.key_unsupported": "The certificate has a kind of key this program cannot encrypt to.",
    "cert.expired": "The certificate expired on {date}.",
    "cert.not_yet_valid": "The certificate is not valid until {date}.",
    "cert.weak_rsa": "The certificate's RSA key has only {bits} bits; at least 2048 are needed.",
    "cert.weak_curve": (
        "The certificate's key is on the {curve} curve; only P-256, P-384 and P-521 are accepted."
    ),
    "cert.weak_signature": "The certificate is signed with {hash}, which can be forged.",
    "cert.authority_weak_signature": (
        "The authority certificate “{name}” in its chain is signed with {hash}, which can be "
        "forged."
    ),
    "cert.revoked": "The certificate was revoked by its issuer on {date}.",
    "cert.authority_revoked": (
        "The authority certificate “{name}” in its chain was revoked on {date}."
    ),
    "cert.untrusted.no_anchors": (
        "No trusted root certificates are set up, so no certificate can be trusted yet."
    ),
    "cert.untrusted.unknown_issuer": (
        "The certificate was issued by “{issuer}”, which is neither a trusted root nor a known "
        "intermediate authority."
    ),
    "cert.untrusted.unknown_root": (
        "The certificate's chain ends at “{name}”, issued by “{issuer}”, which is not a trusted "
        "root."
    ),
    "cert.untrusted.bad_signature": (
        "A signature in the certificate's chain does not check: a certificate in it is forged or "
        "damaged, or another authority has the same name."
    ),
    "cert.untrusted.weak_algorithm": (
        "A certificate in the chain is signed with an algorithm that is no longer accepted."
    ),
    "cert.untrusted.authority_key": (
        "An authority in the certificate's chain has a key that is too weak or of a kind that "
        "is not accepted."
    ),
    "cert.untrusted.authority_validity": (
        "The authority certificate “{name}” in its chain is valid only from {start} to {end}."
    ),
    "cert.untrusted.not_for_email": (
        "An authority in the certificate's chain is not allowed to issue e-mail certificates."
    ),
    "cert.untrusted.name_constraints": (
        "The certificate's address is outside the names an authority in its chain may issue "
        "certificates for."
    ),
    "cert.untrusted.critical_extension": (
        "The certificate or an authority in its chain has a critical extension this program does "
        "not understand."
    ),
    "cert.untrusted.other": "The certificate's chain to a trusted root could not be verified.",
    # certificate store
    "store.folder": (
        "“{path}” is a folder, not a certificate store file. Choose a file name for the store."
    ),
    "store.cannot_open": (
        "The certificate store “{path}” cannot be opened or written. Check that its folder "
        "exists and that you may read and write there."
    ),
    "store.locked": (
        "The certificate store “{path}” is busy in another program (perhaps another copy of "
        "smime-guard). Close it and try again."
    ),
    "store.full": (
        "The disk holding the certificate store “{path}” is full. Free some space and try again."
    ),
    "store.damaged": (
        "“{path}” is not a certificate store this program can read, or it is damaged. It was "
        "left as it is: restore it from a backup, or move it aside and a new, empty store is made."
    ),
    "store.foreign": (
        "“{path}” is a database of another program, not a smime-guard certificate store. It "
        "was left as it is: choose another file for the store."
    ),
    "store.newer": (
        "The certificate store “{path}” was written by a newer version of smime-guard (store "
        "version {found}; this version reads up to {known}). Update smime-guard, or choose "
        "another file for the store."
    ),
    "store.unknown_certificate": "No certificate with fingerprint {fingerprint} is in the store.",
    # compose window
    "policy.not_toml": "The policy file {source} cannot be read (line {line}): {reason}.",
    "policy.bad_value": "The policy file {source}, line {line}, “{setting}”: {reason}",
    "policy.unknown_key": "this setting is unknown; the settings are {known}.",
    "policy.not_domain_list": 'expected a list of domain names, like ["clinic.example"].',
    "policy.bad_domain": "“{domain}” is not a domain name.",
    "policy.bad_choice": "expected one of {choices}.",
    "policy.not_boolean": "expected true or false (without quotes).",
    "policy.not_count": "expected a whole number from 1 to {maximum}.",
    "policy.using_strictest": (
        "{error} Until it is fixed, the strictest settings apply: every message must be "
        "encrypted and none may be sent without encryption."
    ),
    "gate.title": "Not everyone can read an encrypted message",
    "gate.title_reply_all": "This Reply All goes to a mixed group",
    "gate.message": (
        "{uncovered} of {count} recipients cannot read encrypted mail. A message is only sent "
        "encrypted when every recipient can read it."
    ),
    "gate.message_reply_all": (
        "Your Reply All goes to {count} recipients, but {uncovered} of them cannot read "
        "encrypted mail. It will not be sent encrypted to some and readable to the others: "
        "choose what to do."
    ),
    "gate.required": "Your organisation's policy requires encryption for this message.",
    "gate.override_not_allowed": "The policy does not allow sending it without encryption.",
    "gate.no_recipients": "Add at least one recipient before sending.",
    "gate.title_unencrypted": "Send without encryption",
    "gate.message_unencrypted": (
        "This message will be sent without encryption to {count} recipients."
    ),
    "gate.title_encrypted": "Send encrypted",
    "gate.external": "{count} recipient(s) outside your organisation: {names}.",
    "gate.large_audience": (
        "This message goes to {count} recipients; check that they all should get it."
    ),
    "gate.uncovered_row": "{recipient} · {words}\n{reason}",
    "gate.choice.remove_and_encrypt": "Remove them and send encrypted",
    "gate.choice.send_unencrypted": "Send without encryption…",
    "gate.choice.keep_editing": "Keep editing",
    "confirm.title": "Send without encryption?",
    "confirm.text": "This message will go to {count} recipient(s) without encryption.",
    "confirm.informative": (
        "Anyone who handles it on the way can read it. Your choice is recorded in the audit log."
    ),
    "confirm.quoted": (
        "It quotes a message that arrived encrypted. Remove the quoted text, or confirm that it "
        "may be sent readable. Your choice is recorded in the audit log."
    ),
    "confirm.send": "Send without encryption",
    "confirm.remove_quote": "Remove quoted text and send",
    "confirm.keep_quote": "Keep quoted text and send",
    "confirm.cancel": "Cancel",
    "audit.cannot_write": (
        "The audit log {path} cannot be written ({reason}), so the message was not sent."
    ),
    "outbox.cannot_write": "The outbox {path} cannot be written ({reason}); nothing was sent.",
    "policy.too_large": "The policy file {source} is too large to be a policy.",
    "policy.unreadable": "The policy file {source} cannot be read: {reason}.",
    "policy.not_utf8": "The policy file {source} is not UTF-8 text.",
    "demo.bad_people": "The demo's list of people cannot be read: {reason}.",
    "demo.cannot_build": "The demo home {path} cannot be built: {reason}.",
    "demo.foreign_home": (
        "{path} already holds a certificate store that is not a demo. Choose an empty folder "
        "for the demo with --home."
    ),
    "mailbox.none": "No mailbox",
    "mailbox.no_subject": "(no subject)",
    "mailbox.too_large": "The message {name} is too large to show.",
    "mailbox.unreadable": "The message {name} cannot be read: {reason}.",
    "mailbox.body_unreadable": "(The text of this message cannot be shown.)",
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
    "main.title": "smime-guard",
    "main.toolbar": "Message actions",
    "main.new": "New",
    "main.reply": "Reply",
    "main.reply_all": "Reply All",
    "main.forward": "Forward",
    "main.action_tip": "{action} ({shortcut})",
    "main.status": "{mailbox}: {count} messages",
    "main.demo_inbox": "Demo inbox",
    "main.demo_mode": "Demo mode: throwaway certificates, nothing leaves this computer",
    "main.compose_failed": "The message cannot be answered",
    "compose.title_new": "New Message",
    "compose.title_reply": "Reply",
    "compose.title_reply_all": "Reply All",
    "compose.title_forward": "Forward",
    "compose.cancel": "Cancel",
    "compose.send": "Send",
    "compose.sending": "Sending…",
    "compose.send_tip": "Send (Ctrl+Return)",
    "compose.to": "To:",
    "compose.cc": "Cc:",
    "compose.bcc": "Bcc:",
    "compose.from": "From:",
    "compose.subject": "Subject:",
    "compose.no_identity": "No identity set up",
    "compose.subject_placeholder": "Subject",
    "compose.body_placeholder": "Write your message",
    "compose.encrypt": "Encrypt",
    "compose.sign": "Sign",
    "compose.encrypt_required_tip": (
        "Your organisation's policy requires encryption for these recipients."
    ),
    "compose.sign_required_tip": "Your organisation's policy requires signing every message.",
    "compose.encrypt_required_note": "Encryption required by policy",
    "compose.sign_required_note": "Signing required by policy",
    "compose.no_attachments": "No attachments",
    "compose.attach": "Attach…",
    "compose.attach_title": "Attach files",
    "compose.attachment": "{name} ({size})",
    "compose.remove_attachment": "Remove",
    "compose.remove_recipient": "Remove",
    "compose.invalid_title": "Fix the recipients first",
    "compose.send_failed": "The message was not sent",
    "compose.verdict_changed_title": "The recipients' status changed",
    "compose.verdict_changed": (
        "New certificate information arrived while you were deciding. Check the status line "
        "and press Send again."
    ),
    "compose.quote_header": "On {date}, {sender} wrote:",
    "compose.forward_header": (
        "---------- Forwarded message ----------\nFrom: {sender}\nDate: {date}\n"
        "Subject: {subject}\nTo: {to}"
    ),
    "status_line.encrypted": "Encrypted",
    "status_line.not_encrypted": "Not Encrypted",
    "status_line.checking": "Checking recipients' certificates…",
    "status_line.impossible": "Encryption is on, but not possible: {summary}",
    "status_line.required_impossible": "Encryption is required, but not possible: {summary}",
    "status_line.off": "Encryption is off. {summary}",
    "status_line.off_possible": "Encryption is off, though it is possible. {summary}",
    "token.with_words": "{name} · {words}",
    "token.ok": "can read encrypted mail",
    "token.no_certificate": "no certificate",
    "token.expired": "expired",
    "token.not_yet_valid": "not yet valid",
    "token.revoked": "revoked",
    "token.untrusted": "untrusted",
    "token.wrong_usage": "unusable certificate",
    "token.weak_key": "weak key",
    "token.unresolved": "unresolved",
    "token.checking": "checking…",
    "token.invalid": "invalid",
    "details.title": "Certificate for {name}",
    "details.heading": "{recipient}",
    "details.usable": "Can read encrypted mail",
    "details.subject": "Subject",
    "details.addresses": "Issued for",
    "details.issuer": "Issued by",
    "details.valid_from": "Valid from",
    "details.valid_until": "Valid until",
    "details.key": "Key",
    "details.serial": "Serial number",
    "details.fingerprint": "SHA-256 fingerprint",
    "details.source": "Source",
    "details.source_imported": "Imported by you or your administrator",
    "details.source_directory": "Your organisation's directory",
    "details.source_harvested": "Learnt from a signed message",
    "details.source_other": "Unknown",
    "details.none": "none",
    # drafts
    "drafts.autosave_off": (
        "Autosave is off: there is no certificate of your own to encrypt drafts to, and "
        "drafts are never kept unencrypted."
    ),
    "drafts.saved": "Draft saved, encrypted to your certificate, at {time}.",
    "drafts.save_failed": "The draft was not saved: {reason}",
    "drafts.unwritable": "The drafts folder {path} cannot be written: {reason}.",
    "drafts.unreadable": "it is damaged or was not encrypted to your certificate",
    "drafts.not_a_draft": "its content is not a draft smime-guard can read",
    "drafts.damaged": "The draft {name} cannot be opened ({reason}); it was set aside as {aside}.",
    "drafts.recover_title": "Unsent drafts",
    "drafts.recover_intro": (
        "smime-guard stopped while {count} draft(s) were open. Restore them to keep writing, "
        "or discard them."
    ),
    "drafts.recover_row": "{subject} · saved {time}\n{recipients}",
    "drafts.no_recipients": "no recipients",
    "drafts.damaged_intro": "Some draft files could not be opened and were set aside:",
    "drafts.restore": "Restore",
    "drafts.discard": "Discard",
    "drafts.later": "Decide later",
    "drafts.attachment_gone": "The attached file {path} of this draft is no longer there.",
    # preview security (the message opened through the S/MIME reader)
    "security.encrypted_with": "Encrypted ({cipher})",
    "security.not_encrypted": "Not encrypted",
    "security.signed_valid": "Signed by {signer}, valid",
    "security.signed_invalid": "Signature NOT valid: {reason}",
    "security.not_signed": "not signed",
    "security.cannot_open": "Encrypted with S/MIME, but it cannot be opened: {reason}",
    "security.weak_cipher": "{cipher} is an old cipher that is no longer safe for new mail.",
    "ui.error_file": "A file could not be read or written: {reason}.",
    "ui.error_internal": "Something went wrong inside smime-guard; details are in the log file.",
    # training
    "training.title": "Training",
    "training.error": "{source}: {field}: {reason}",
    "training.missing": "this field is required",
    "training.error_table": "must be a table ([name] or [[name]])",
    "training.error_string": "must be a non-empty text",
    "training.error_bool": "must be true or false",
    "training.error_int": "must be a whole number",
    "training.error_list": "must be a list of texts",
    "training.error_choice": "“{value}” is not one of: {allowed}",
    "training.error_address": "“{value}” is not an address: {problem}",
    "training.error_domain": "“{value}” is not a domain: {problem}",
    "training.error_unknown": "unknown field (misspelt?)",
    "training.error_no_answer": "name at least one correct decision",
    "training.error_duplicate_person": "the same address appears in two [[person]] entries",
    "training.error_no_person": (
        "{address} has no [[person]] entry saying what certificate they have"
    ),
    "training.error_toml": "not valid TOML: {problem}",
    "training.error_people": "at least one [[person]] is needed",
    "training.error_original_new": "a new message has no [original]; use a reply action",
    "training.not_utf8": "the file is not UTF-8 text",
    "training.bad_progress": "{source} could not be read; your training starts afresh.",
    "training.problems": "{count} scenario file(s) could not be loaded and were skipped:",
    "training.correct": "Correct",
    "training.incorrect": "Not the best choice",
    "training.points": "{score} points",
    "training.result_all_read": "Everyone would have received it encrypted and could read it.",
    "training.result_p7m": "{name} would have received smime.p7m and could not read it.",
    "training.result_gate_stops": (
        "smime-guard would not have sent it: it shows Not Encrypted and opens the send dialog."
    ),
    "training.result_nobody_to_remove": "Everyone is covered: there was nobody to remove.",
    "training.result_nobody_left": "Nobody can read encrypted mail: removing them leaves no one.",
    "training.result_removed": (
        "{names} would have been removed and would not get the message; "
        "everyone else would have received it encrypted."
    ),
    "training.result_policy_forbids": (
        "Your practice's policy requires encryption here: smime-guard would not offer it."
    ),
    "training.result_clear_text": (
        "The message would have gone out unencrypted: readable by any server on the way."
    ),
    "training.result_quote_exposed": (
        "The quoted text of the encrypted original would have gone out in clear text too."
    ),
    "training.result_audited": "The override would have been written to the audit log.",
    "training.result_nothing_sent": "Nothing would have been sent yet.",
    "training.result_no_need_to_ask": (
        "Everyone already has a usable certificate; asking was not needed."
    ),
    "training.result_asked": (
        "Nothing would have been sent yet. {names} would be asked to send you a signed "
        "message; their certificate is learnt from it once the signature checks out."
    ),
    "training.not_tried": "Not tried yet",
    "training.scored": "{score} points after {attempts} attempt(s)",
    "training.list_item": "{number}. {title}",
    "training.overall": "Score {score}% · {completed} of {total} scenarios solved",
    "training.lesson": "Lesson",
    "training.export": "Export record…",
    "training.export_title": "Training record",
    "training.export_no_name": "Enter your name on the lesson page first; the record carries it.",
    "training.exported": "Wrote {csv} and {json} to {folder}.",
    "training.name_label": "Your name",
    "training.name_placeholder": "as it should appear in the training record",
    "training.start": "Start the scenarios",
    "training.question": "What do you do?",
    "training.hint": (
        "Look at the status line and every token first; click a token to see its certificate."
    ),
    "training.decide_send_encrypted": "Send encrypted",
    "training.decide_remove": "Remove the red recipients, send encrypted",
    "training.decide_unencrypted": "Send without encryption",
    "training.decide_keep_editing": "Keep editing (don't send yet)",
    "training.decide_ask_signed": "Ask for a signed message first",
    "training.tip_send_encrypted": "Send the message as it is, encrypted.",
    "training.tip_remove": "Take off every recipient with a red open lock and send to the rest.",
    "training.tip_unencrypted": "Send the message readable by anyone on the way.",
    "training.tip_keep_editing": "Go back to the draft: change recipients or wording first.",
    "training.tip_ask_signed": (
        "Ask the red recipients to send you a signed message, which carries their certificate."
    ),
    "training.retry": "Try again",
    "training.next": "Next scenario",
    "training.finish": "Finish",
    "training.phone_showed": "What the phone showed",
    "training.correct_verdict": "What is correct (smime-guard)",
    "training.original_plain": "Original message from {sender} to {to}, Cc {cc}: “{subject}”",
    "training.original_encrypted": (
        "Original message (encrypted) from {sender} to {to}, Cc {cc}: “{subject}”"
    ),
    "training.lesson_title": "Before you start: the locks",
    "training.lesson_intro": (
        "Each scenario opens the real compose screen in a sandbox: nothing is sent and no "
        "server is contacted. Read the story, look at the locks, then decide."
    ),
    "training.lesson_blue_title": "Blue closed lock: this person can read encrypted mail",
    "training.lesson_blue": (
        "We hold a valid certificate for exactly this address, issued by a CA we trust, "
        "not expired, not revoked and allowed for encryption."
    ),
    "training.lesson_red_title": "Red open lock: this person cannot",
    "training.lesson_red": (
        "No certificate, or one that is expired, revoked, not trusted, for signing only, or "
        "issued for another address. Encrypted mail would reach them as a file called "
        "smime.p7m that they cannot open. The token says why; click it for the details."
    ),
    "training.lesson_sources_title": "Where certificates come from",
    "training.lesson_sources": (
        "Your organisation's directory, a certificate your administrator imported, or a signed "
        "message: a signature carries the sender's certificate, learnt once it checks out."
    ),
    "training.lesson_whole_title": "The whole message must be readable by everyone",
    "training.lesson_whole": (
        "An encrypted message is one sealed envelope for all its To, Cc and Bcc recipients. "
        "If one of them has a red lock, the message is Not Encrypted, whoever else is covered. "
        "A Reply All is judged exactly like a new message to the same people."
    ),
    "training.lesson_decisions_title": "Your decisions",
    "training.lesson_decisions": (
        "Send encrypted · remove the red recipients and send encrypted · send without "
        "encryption (only where policy allows, never with patient data) · keep editing · ask "
        "for a signed message first. After each decision you see what would have happened."
    ),
    "training.no_scenarios": "No training scenarios could be loaded.",
    "training.open_tip": "Practise S/MIME decisions on realistic scenarios, in a sandbox",
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
    # identity
    "identity.no_private_key": (
        "{source} holds no private key, so it is not your own identity. To add someone else's "
        "certificate, use “certs import”."
    ),
    "identity.no_certificate": "{source} holds a private key but no certificate for it.",
    "identity.key_not_for_certificate": (
        "In {source}, the private key does not belong to the certificate."
    ),
    "identity.unsupported_key": (
        "The private key in {source} is of a kind S/MIME here cannot use ({kind}); "
        "an RSA or elliptic-curve key is needed."
    ),
    "identity.pkcs12_unreadable": "{source} cannot be read as a PKCS#12 (.p12 / .pfx) file.",
    "identity.stored_key_wrong_passphrase": (
        "Your stored private key cannot be unlocked with the passphrase in the system keyring. "
        "Import your identity again."
    ),
    "identity.stored_key_damaged": (
        "Your stored private key is damaged. Import your identity again."
    ),
    "identity.stored_certificates_damaged": (
        "Your stored certificate is damaged. Import your identity again."
    ),
    "identity.stored_source": "your stored identity",
    "identity.none_stored": (
        "No identity of your own is stored. Import yours with "
        "“smime-guard identity import FILE.p12”."
    ),
    "identity.passphrase_missing": (
        "The passphrase of your stored private key is not in the system keyring ({backend}). "
        "If you now use another keyring or user account, import your identity again."
    ),
    "identity.store_damaged": (
        "Your stored identity ({path}) is damaged. Import your identity again."
    ),
    "identity.key_file_missing": (
        "Your stored private key ({path}) is missing. Import your identity again."
    ),
    "identity.keyring_did_not_keep": (
        "The system keyring ({backend}) did not keep the passphrase of your private key; "
        "nothing was stored."
    ),
    "identity.cannot_write": (
        "Your identity cannot be stored in {path}: {reason}. Nothing was changed."
    ),
    "identity.password_prompt": "Password for {source}: ",
    "identity.password_needs_terminal": (
        "{source} needs its password, and there is no terminal to ask for it on. "
        "Put the password in an environment variable and name it with --password-env."
    ),
    "identity.imported": (
        "Imported your identity: {subject} ({addresses}).\n"
        "The private key is stored encrypted; its passphrase is kept in {backend}."
    ),
    "identity.nothing_to_show": "No identity of your own is stored.",
    "identity.removed": "Removed your identity: its files and its keyring entry.",
    "identity.nothing_to_remove": "No identity of your own is stored; nothing was removed.",
    "identity.no_address": "(no address)",
    "identity.expired": " (expired)",
    "identity.not_yet_valid": " (not yet valid)",
    "identity.show": (
        "Subject:      {subject}\n"
        "Addresses:    {addresses}\n"
        "Issuer:       {issuer}\n"
        "Serial:       {serial}\n"
        "SHA-256:      {fingerprint}\n"
        "Valid:        {not_before} to {not_after}{state}\n"
        "Chain:        {chain} certificate(s)"
    ),
    # keyring
    "keyring.no_system_keyring": (
        "No system keyring is available (found {backend}). smime-guard keeps secrets only in "
        "the system keyring: install and unlock GNOME Keyring or KWallet, or run on Windows "
        "or macOS."
    ),
    "keyring.plaintext": (
        "The keyring backend {backend} keeps secrets in a file, not in a system keyring, so "
        "smime-guard will not use it. Uninstall keyrings.alt (or set PYTHON_KEYRING_BACKEND to "
        "a system keyring), then install and unlock GNOME Keyring or KWallet."
    ),
    "keyring.unknown": (
        "The keyring backend {backend} is not a system keyring smime-guard knows, so it keeps "
        "no secrets there. Use GNOME Keyring or KWallet (Secret Service), the macOS Keychain "
        "or the Windows Credential Manager."
    ),
    "keyring.failed": (
        "The system keyring ({backend}) could not be used: {failure}. Unlock it, or start it, "
        "and try again."
    ),
    "keyring.chain": "{chainer} of [{found}]",
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
    # self-test
    "selftest.check_qt": "Qt",
    "selftest.check_resources": "resources",
    "selftest.check_round_trip": "seal/open",
    "selftest.check_keyring": "keyring",
    "selftest.check_policy": "policy",
    "selftest.check_trust_anchors": "trust anchors",
    "selftest.mark_passed": "ok  ",
    "selftest.mark_failed": "FAIL",
    "selftest.line": "{mark} {name}: {detail}",
    "selftest.failed": "self-test FAILED: {names}",
    "selftest.passed": "self-test passed: {count} checks",
    "selftest.keyring_not_returned": "the keyring {backend} did not return what it kept",
    "selftest.keyring_not_forgotten": "the keyring {backend} did not forget the probe secret",
    "selftest.keyring_ok": "{backend} keeps and returns secrets",
    "selftest.policy_in_force": (
        "require_encryption={require_encryption}, {domains} internal domains"
    ),
    "selftest.no_policy": "no policy file ({looked}): the defaults are in force ({in_force})",
    "selftest.policy_parsed": "{files} parsed ({in_force})",
    "selftest.no_trust_anchors": "no system trust anchors ({folder} does not exist)",
    "selftest.file_unreadable": "{path} cannot be read: {reason}",
    "selftest.no_certificate": "{path} holds no certificate",
    "selftest.trust_anchors_ok": "{count} certificates in {files} files in {folder}",
    "selftest.qt_not_gui": "a non-GUI Qt application already runs ({kind})",
    "selftest.platform_plugin_missing": (
        "the platform plugin {plugin} is missing (looked in {folders})"
    ),
    "selftest.widget_not_painted": "a widget could not be painted",
    "selftest.qt_ok": "Qt {version} on {platform}; {plugin} plugin present",
    "selftest.icons_missing": "icons missing from {folder}: {names}",
    "selftest.icon_not_rendered": "the icon {path} does not render (Qt SVG plugin missing?)",
    "selftest.demo_policy_source": "demo policy",
    "selftest.no_demo_messages": "no demo messages in {folder}",
    "selftest.demo_message_no_from": "the demo message {path} has no From",
    "selftest.resources_missing": "the resources folder {folder} is missing",
    "selftest.style_empty": "the style sheet {path} is empty",
    "selftest.example_missing": "the example {path} is missing",
    "selftest.example_source": "example",
    "selftest.resources_ok": (
        "{icons} icons, {styles} styles, demo of {people} people and {messages} messages, "
        "examples; from {folder}"
    ),
    "selftest.envelope_count": "expected one envelope, sealing made {count}",
    "selftest.came_back_unencrypted": "the sealed message came back unencrypted",
    "selftest.no_signature": "no signature",
    "selftest.signature_failed": "the signature did not verify: {reason}",
    "selftest.text_differs": "the opened text differs from the sealed text",
    "selftest.attachment_differs": "the opened attachment differs from the sealed one",
    "selftest.round_trip_ok": (
        "signed and encrypted ({cipher}, {key_transport}), opened and verified"
    ),
}


def text(key: str, **values: object) -> str:
    """The user-facing string for ``key`` with ``values`` filled in."""
    return MESSAGES[key].format(**values)
