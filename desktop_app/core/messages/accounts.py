"""Strings of accounts of every kind (Microsoft 365, IMAP) and of SMTP submission."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "accounts.draft_not_sealed": (
        "The draft is not encrypted, so it was not saved on the server; it stays on this "
        "computer only."
    ),
    "accounts.unknown": "There is no account named {name} (see `smime-guard account list`).",
    "accounts.none": "No account is set up; add one with `smime-guard account add`.",
    "accounts.choose": (
        "More than one account is set up ({names}); say which with --account NAME."
    ),
    "accounts.exists": (
        "An account named {name} exists already; remove it first or choose another --name."
    ),
    "accounts.bad_name": (
        "“{name}” cannot name an account: use letters, digits, dots, dashes and underscores."
    ),
    "accounts.file_invalid": (
        "The account file {path} is damaged; remove the account and add it again."
    ),
    "accounts.kind_unavailable": "Accounts of kind {kind} are not available in this version.",
    "accounts.missing_option": "An account of kind {kind} needs {option}.",
    "accounts.bad_host_port": "“{value}” is not HOST:PORT.",
    "accounts.plaintext_refused": (
        "{host} is not this computer, so the connection must use TLS; plain text is "
        "allowed to 127.0.0.1 only (for tests)."
    ),
    "accounts.added": "Account {name} ({kind}, {email}) added; {detail}",
    "accounts.removed": "Account {name} removed, with its secrets.",
    "accounts.test_ok": "Account {name} ({kind}): the server answered and accepted the sign-in.",
    "accounts.sent": "Sent {source} ({subject}) by {route}; {copy}",
    "accounts.sent_copy.saved_by_server": "a copy is in Sent Items.",
    "accounts.sent_copy.appended": "a copy was stored in {where}.",
    "accounts.sent_copy.not_confirmed": "{where}",
    "accounts.sent_copy.none": "no copy was kept.",
    "accounts.outbox_empty": "The outbox is empty.",
    # SMTP submission (services.smtp)
    "smtp.unreachable": "The mail server {server} could not be reached: {reason}.",
    "smtp.tls_failed": (
        "The mail server {server} could not be reached securely (TLS): {reason}. Nothing "
        "was sent in plain text."
    ),
    "smtp.no_starttls": (
        "The mail server {server} does not offer STARTTLS, so nothing was sent (it would "
        "have travelled in plain text)."
    ),
    "smtp.auth_disabled": (
        "SMTP AUTH is disabled for the mailbox {user}: an administrator must allow "
        "authenticated SMTP for it (Exchange Online: Set-CASMailbox -Identity {user} "
        "-SmtpClientAuthenticationDisabled $false). The message stays in the outbox."
    ),
    "smtp.auth_rejected": "The mail server {server} refused the sign-in of {user} ({code}).",
    "smtp.auth_unsupported": (
        "The mail server {server} does not offer {mechanism} sign-in, so nothing was sent."
    ),
    "smtp.temporary": "The mail server {server} asked to try again later ({code}).",
    "smtp.refused": "The mail server {server} refused the message ({code}).",
    "smtp.too_large": (
        "The mail server {server} refused the message as too large ({code}); it stays in "
        "the outbox."
    ),
    "smtp.recipients_refused": "The mail server {server} refused the recipients {addresses}.",
    "smtp.no_recipients": "The message names no recipient, so there is nobody to send it to.",
    "smtp.sent_copy_unconfirmed": (
        "sent by SMTP submission; Microsoft does not document that Exchange Online keeps "
        "such a message in Sent Items, so look there before relying on a copy."
    ),
    # Microsoft Graph (services.graph)
    "graph.unreachable": "Microsoft Graph at {server} could not be reached: {reason}.",
    "graph.busy": "Microsoft Graph asked to wait ({code}){wait}.",
    "graph.busy_wait": "; it asked for {seconds:.0f} seconds",
    "graph.denied": (
        "Microsoft Graph refused the account ({code}): the sign-in expired or the app lacks "
        "a permission (an administrator must consent to it). Sign in again with "
        "`smime-guard account add`."
    ),
    "graph.refused": "Microsoft Graph refused the request ({code}).",
    "graph.too_large": "Microsoft Graph refused the message as larger than its 4 MB limit.",
    "graph.bad_response": (
        "Microsoft Graph at {server} answered with something that is not what Graph sends."
    ),
    "graph.foreign_link": (
        "Microsoft Graph pointed the next page at another server; it was not followed."
    ),
    "graph.no_smtp": (
        "The message is larger than Microsoft Graph takes (4 MB) and the account has no SMTP "
        "server for larger messages, so it stays in the outbox."
    ),
    "graph.signed_in": (
        "signed in as {user}; Microsoft Graph answered for {mailbox}. Tokens are kept in {kept}."
    ),
    "graph.smtp_token_failed": (
        "no token for SMTP submission could be had from the same sign-in ({reason}); messages "
        "over 4 MB will wait in the outbox until an administrator allows SMTP.Send."
    ),
    "graph.members_unknown": (
        "{address} is a list whose members Microsoft Graph does not show (a dynamic "
        "distribution group): its members are unknown, so it cannot count as covered."
    ),
    # the account dialog (ui.accounts.account_dialog)
    "accounts.dialog_title": "Mail account",
    "accounts.dialog_intro": (
        "Enter your address: smime-guard asks Microsoft whether it is a Microsoft 365 "
        "mailbox and suggests how to connect."
    ),
    "accounts.dialog_email": "Address:",
    "accounts.dialog_kind": "Kind:",
    "accounts.kind.exchange": "Exchange Server (EWS)",
    "accounts.kind.m365": "Microsoft 365 (Graph)",
    "accounts.kind.imap": "IMAP and SMTP",
    "accounts.dialog_client_id": "Application ID:",
    "accounts.dialog_tenant": "Tenant:",
    "accounts.dialog_tenant_placeholder": "your domain, or organizations",
    "accounts.dialog_imap": "IMAP server:",
    "accounts.dialog_smtp": "SMTP server:",
    "accounts.dialog_username": "User name:",
    "accounts.dialog_password": "Password:",
    "accounts.dialog_sign_in": "Sign in",
    "accounts.dialog_checking": "Asking Microsoft about {email}…",
    "accounts.dialog_suggested_m365": (
        "{email} is a Microsoft 365 mailbox: Microsoft 365 is suggested."
    ),
    "accounts.dialog_suggested_imap": (
        "{email} is not a Microsoft 365 mailbox: IMAP and SMTP are suggested."
    ),
    "accounts.dialog_suggested_guess": (
        "Microsoft could not be asked about {email}; IMAP and SMTP are only a guess."
    ),
    "accounts.dialog_exchange_hint": (
        "Exchange Server accounts are set up in Tools ▸ Exchange account…; Microsoft 365 "
        "mailboxes should use Microsoft 365 (EWS is being switched off there)."
    ),
    "accounts.dialog_signing_in": "Signing in…",
    "accounts.dialog_added": "Account {name} added: {detail}",
    "accounts.menu_mail_account": "&Mail account (Microsoft 365, IMAP)…",
    "accounts.dialog_close": "Close",
    # the compose window's status line after Send (services.accounts.delivery)
    "accounts.sent_notice": "Sent by {route}; {copy}",
    "accounts.sent_notice_plain": "Sent.",
    "accounts.route.graph": "Microsoft 365",
    "accounts.route.smtp": "SMTP submission",
    "accounts.route.ews": "Exchange",
    "accounts.sent_count": "Sent {count:p:1 message|{count} messages} by {route}.",
    "accounts.sent_view_no_copy": "sent by SMTP: no Sent Items copy is confirmed",
}
