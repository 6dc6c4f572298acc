"""Strings of the compose flow: the gate with Encrypt off, closing a draft, after Send."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # naming people in one line
    "names.and": "{names} and {last}",
    "names.and_others": "{names} and {count:p:1 other|{count} others}",
    "people.count": "{count:p:1 person|{count} people}",
    "notice.duplicate_in_field": "{address} is in {field} more than once; it is sent once.",
    # the gate for a mixed Reply All while Encrypt is off
    "gate.message_reply_all_off": (
        "Encrypt is off, and your Reply All goes to a mixed group. {covered} could read it "
        "encrypted; {uncovered} could not. Choose how it leaves."
    ),
    "gate.required_override": (
        "Your organisation's policy asks for encryption here: sending it without encryption "
        "needs a second confirmation and is recorded in the audit log."
    ),
    "gate.required_no_override": (
        "Your organisation's policy requires encryption for this message, so it cannot be "
        "sent without it."
    ),
    "gate.covered_row": "{recipient} · can read encrypted mail",
    # closing a draft
    "close.title": "Save this draft?",
    "close.text": "This message has not been sent. Save it as a draft to finish it later?",
    "close.sealed": "The draft is kept encrypted to your own certificate.",
    "close.unencrypted": (
        "You have no certificate of your own, so the draft cannot be encrypted: it would "
        "stay UNENCRYPTED on this computer, readable by anyone who can open your files."
    ),
    "close.nowhere": "There is nowhere to save drafts, so this one can only be discarded.",
    "close.save": "Save draft",
    "close.save_unencrypted": "Save unencrypted draft",
    "close.discard": "Discard",
    "close.keep_editing": "Keep editing",
    "close.save_failed_title": "The draft was not saved",
    "drafts.saved_now": "Draft saved.",
    # invalid recipients
    "compose.invalid_some": (
        "{count:p:This entry is|These {count} entries are} not an e-mail address: {names}. "
        "Correct or remove {count:p:it|them} before sending."
    ),
    "compose.invalid_many": (
        "{count} entries are not e-mail addresses, among them {names}. Correct or remove "
        "them before sending."
    ),
    "status_line.invalid": "{count:p:1 entry is|{count} entries are} not an e-mail address. ",
    # after Send: one line for the status bar and the Sent and Outbox views
    "after_send.encrypted": "Sent encrypted to {people}",
    "after_send.encrypted_removed": (
        "Sent encrypted to {people}; {removed} {count:p:was|were} removed"
    ),
    "after_send.plain": "Sent without encryption to {people}",
    "after_send.plain_recorded": "Sent without encryption to {people} (recorded)",
    "after_send.saved_encrypted": "Encrypted for {people} and kept in the outbox folder",
    "after_send.saved_encrypted_removed": (
        "Encrypted for {people} and kept in the outbox folder; {removed} {count:p:was|were} removed"
    ),
    "after_send.saved_plain": "Kept in the outbox folder, not encrypted, for {people}",
    "after_send.saved_plain_recorded": (
        "Kept in the outbox folder, not encrypted, for {people} (recorded)"
    ),
    "after_send.waiting": "Waiting in the outbox: {reason}; retrying in {wait}",
    "after_send.waiting_no_retry": "Waiting in the outbox: {reason}",
    "after_send.no_answer": "Exchange did not answer",
    "after_send.minutes": "{count:p:1 minute|{count} minutes}",
    "after_send.seconds": "{count:p:1 second|{count} seconds}",
    # accessibility
    "a11y.token": "{label}, {state}",
    "a11y.lock_closed": "closed lock: can read encrypted mail",
    "a11y.lock_open": "open lock: cannot read encrypted mail",
    "a11y.checking": "checking",
    "a11y.invalid": "not an e-mail address",
    "a11y.status_icon_on": "Closed lock: Encrypted",
    "a11y.status_icon_off": "Open lock: Not Encrypted",
    "a11y.suggestion": "{label}, {state}",
    # the keyring, in the words of the people who use it
    "keyring.no_answer": "it did not answer",
    "keyring.system": "The system keyring",
    "keyring.failed_plain": (
        "{backend} could not be used: {failure}. Unlock it, or start it, and try again."
    ),
    "keyring.none_found": (
        "No system keyring is available. smime-guard keeps secrets only in the system "
        "keyring: install and unlock GNOME Keyring or KWallet, or run on Windows or macOS."
    ),
    # certificate reasons in plain words (the details dialog keeps the technical ones)
    "plain.not_for_encryption": (
        "Their certificate is not set up for receiving encrypted mail. Ask them for one "
        "that is; the certificate details say exactly what is missing."
    ),
    "plain.not_for_email": (
        "Their certificate is not meant for e-mail, so it cannot be used to encrypt mail to them."
    ),
    "plain.damaged": "Their certificate is damaged and cannot be relied on.",
}
