"""Strings of the Exchange directory, inbox and outbox."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # directory lookups (services.exchange.gal_findings)
    "exchange_mail.blob_source": "The {attribute} value published for {address}",
    "exchange_mail.ambiguous": (
        "{address} matches more than one entry of the directory; use the full address."
    ),
    "exchange_mail.not_an_address": (
        "The directory gave “{address}”, which is not an e-mail address."
    ),
    "exchange_mail.list_too_large": (
        "The list {address} has more than {cap} members; they were not all checked, so it "
        "cannot count as covered."
    ),
    "exchange_mail.list_failed": "The members of the list {address} could not be read: {failure}",
    # MailTips and the directory's warnings for the send gate (services.mailtips)
    "exchange_mail.invalid_recipient": (
        "Exchange says {address} is not a valid recipient: the message would not reach them."
    ),
    "exchange_mail.external_recipient": "{address} is outside your organisation.",
    "exchange_mail.external_members": (
        "The list {address} includes {count} people outside your organisation."
    ),
    "exchange_mail.large_audience": "{address} reaches {count} people.",
    # the inbox (services.exchange.inbox_source, mailbox) and its paging in the main window
    "exchange_mail.inbox_name": "Exchange inbox ({email})",
    "exchange_mail.message_too_large": (
        "This message is larger than {megabytes} MB and is not shown."
    ),
    "exchange_mail.message_gone": "The message is no longer in the Exchange mailbox ({code}).",
    "exchange_mail.no_mime": "Exchange returned the message without its MIME content.",
    "exchange_mail.account_action": "Exchange account…",
    "exchange_mail.account_action_tip": (
        "Sign in to Exchange: directory certificates, lists and sending"
    ),
    "inbox.load_more": "&Load more messages",
    "inbox.load_more_tip": "List the next older messages (also when you scroll to the end)",
    "inbox.loading_more": "Loading older messages…",
    "inbox.more_waiting": "{count} {count:p:message|messages} shown; older ones are on the server.",
    "inbox.all_loaded": "{count:p:The one message is|All {count} messages are} shown.",
    "inbox.load_failed": "Older messages could not be loaded: {reason}",
    "inbox.try_again": "&Try again",
}
