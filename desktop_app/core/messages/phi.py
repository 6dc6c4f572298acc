"""Strings about the PHI guard, header protection and the audit log's integrity."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # policy.toml
    "policy.phi_table": (
        'expected "block", "warn" or "off", or a table with "mode" and "mrn" '
        "(see [phi.mrn]); “{setting}” is not one of its settings."
    ),
    "policy.mrn_not_table": 'expected a table of named patterns, like clinic = "MRN-\\\\d{{7}}".',
    "policy.mrn_not_text": "the pattern “{name}” must be text in quotes.",
    "policy.mrn_bad_regex": "the pattern “{name}” is not a valid regular expression: {reason}.",
    "policy.mrn_too_long": "the pattern “{name}” is longer than {maximum} characters.",
    "policy.mrn_matches_empty": "the pattern “{name}” matches empty text, so it finds nothing.",
    # what each kind of finding looks like, for people
    "phi.kind.ssn": "looks like a Social Security number",
    "phi.kind.mbi": "looks like a Medicare number (MBI)",
    "phi.kind.dob": "looks like a date of birth",
    "phi.kind.mrn": "looks like a medical record number ({name})",
    "phi.kind.name_cue": "may name a patient",
    "phi.where.subject": "the Subject",
    "phi.where.body": "the message text",
    "phi.where.attachment": "the attachment {name}",
    "phi.heading": "Patient details:",
    "phi.finding": "{where} {kind} ({excerpt})",
    "phi.subject_finding": (
        "The Subject {kind} ({excerpt}). The Subject is not encrypted: anyone who handles "
        "the message on the way can read it."
    ),
    "phi.subject_protected": (
        "The Subject {kind} ({excerpt}). Headers are protected, so only the recipients' "
        "mail programs see it; an older mail program shows it in the message text."
    ),
    "phi.and": " and ",
    "phi.subject_summary": (
        "The Subject {found}. It is not encrypted: anyone who handles the message on the "
        "way can read it."
    ),
    "phi.unchecked": "{name} could not be checked for patient details.",
    "phi.unreadable": "could not be read",
    "phi.too_large": "is too large to check completely",
    # overriding
    "phi.reason.patient_consent": ("The patient asked for unencrypted e-mail (consent on file)"),
    "phi.reason.no_phi": "It holds no patient information (a false alarm)",
    "phi.reason.de_identified": "The details are de-identified or belong to no patient",
    "phi.reason.required": "A reason is needed to send patient details unencrypted.",
    # the send gate
    "gate.phi_title": "Patient details would be sent unencrypted",
    "gate.phi_message": (
        "This message is not encrypted, and it seems to hold patient details. Anyone who "
        "handles it on the way can read them."
    ),
    "gate.phi_blocked": (
        "Your practice's policy does not allow sending patient details without encryption."
    ),
    "gate.phi_heading": "Found:",
    "gate.phi_reason_title": "Why send patient details unencrypted?",
    "gate.phi_reason_prompt": "Choose a reason; it is kept in the audit log.",
    # the compose window
    "compose.subject_finding": "⚠ {finding}",
    # header protection, when opening
    "open.headers_protected": "The Subject and addresses were protected by encryption.",
    "warning.outer_header_differs": (
        "The {name} outside the encryption (“{outer}”) differs from the protected one "
        "(“{inner}”), which is shown."
    ),
    "hp.legacy_subject": "Subject: {subject}",
    # the audit log
    "audit.damaged": (
        "The audit log {path} is damaged at record {line} ({reason}); nothing more is "
        "written to it until an administrator has looked at it."
    ),
    "audit.verified": (
        "The audit log is intact: {count:p:1 record|{count} records}, each linked to the "
        "one before."
    ),
    "audit.problem": "Record {line}: {reason}",
    "audit.not_json": "it is not a JSON record",
    "audit.chain_broken": (
        "it does not follow the record before it (a record was edited, removed or moved)"
    ),
    "audit.hash_wrong": "its contents were changed after it was written",
    "audit.sequence_wrong": "its number is {found}, expected {expected}",
    "audit.empty": "The audit log has no records yet.",
    "audit.bad_since": "“{value}” is not a date; use YYYY-MM-DD.",
}
