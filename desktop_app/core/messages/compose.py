"""Strings of the compose and main windows: gate, drafts, policy, outbox."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
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
        "{count:p:Your recipient cannot|{uncovered} of {count} recipients cannot} read "
        "encrypted mail. A message is only sent encrypted when every recipient can read it."
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
        "This message will be sent without encryption to {count} {count:p:recipient|recipients}."
    ),
    "gate.title_encrypted": "Send encrypted",
    "gate.external": ("{count} {count:p:recipient|recipients} outside your organisation: {names}."),
    "gate.large_audience": (
        "This message goes to {count} {count:p:recipient|recipients}; check that they all "
        "should get it."
    ),
    "gate.uncovered_row": "{recipient} · {words}\n{reason}",
    "gate.choice.remove_and_encrypt": "Remove them and send encrypted",
    "gate.choice.send_unencrypted": "Send unencrypted to everyone…",
    "gate.choice.keep_editing": "Keep editing",
    "confirm.title": "Send without encryption?",
    "confirm.text": (
        "This message will go to {count} {count:p:recipient|recipients} without encryption."
    ),
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
    "mailbox.none": "No mailbox",
    "mailbox.no_subject": "(no subject)",
    "mailbox.too_large": "The message {name} is too large to show.",
    "mailbox.unreadable": "The message {name} cannot be read: {reason}.",
    "mailbox.body_unreadable": "(The text of this message cannot be shown.)",
    "main.title": "smime-guard",
    "main.toolbar": "Message actions",
    "main.new": "New",
    "main.reply": "Reply",
    "main.reply_all": "Reply All",
    "main.forward": "Forward",
    "main.action_tip": "{action} ({shortcut})",
    "main.status": "{mailbox}: {count} {count:p:message|messages}",
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
    # drafts
    "drafts.autosave_off": (
        "Autosave is off: there is no certificate of your own to encrypt drafts to. "
        "Closing asks before keeping a draft unencrypted."
    ),
    "drafts.saved": "Draft saved, encrypted to your certificate, at {time}.",
    "drafts.save_failed": "The draft was not saved: {reason}",
    "drafts.unwritable": "The drafts folder {path} cannot be written: {reason}.",
    "drafts.unreadable": "it is damaged or was not encrypted to your certificate",
    "drafts.not_a_draft": "its content is not a draft smime-guard can read",
    "drafts.damaged": "The draft {name} cannot be opened ({reason}); it was set aside as {aside}.",
    "drafts.recover_title": "Unsent drafts",
    "drafts.recover_intro": (
        "smime-guard stopped while {count:p:a draft was|{count} drafts were} open. Restore "
        "{count:p:it|them} to keep writing, or discard {count:p:it|them}."
    ),
    "drafts.recover_row": "{subject} · saved {time}\n{recipients}",
    "drafts.no_recipients": "no recipients",
    "drafts.damaged_intro": "Some draft files could not be opened and were set aside:",
    "drafts.restore": "Restore",
    "drafts.discard": "Discard",
    "drafts.later": "Decide later",
    "drafts.attachment_gone": "The attached file {path} of this draft is no longer there.",
    "ui.error_file": "A file could not be read or written: {reason}.",
    "ui.error_internal": "Something went wrong inside smime-guard; details are in the log file.",
}
