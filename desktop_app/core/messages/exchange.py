"""Strings of the Exchange account set-up and sign-in (passwords, OAuth2)."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # the account file and its fields
    "exchange.account_file_invalid": (
        "{path} is not an account file this version can read; sign in again."
    ),
    "exchange.bad_url": (
        "“{url}” is not an EWS URL: give the full http:// or https:// address, for example "
        "https://mail.example.org/EWS/Exchange.asmx."
    ),
    "exchange.bad_authority": (
        "“{url}” is not a sign-in authority: give an https:// address with the tenant, for "
        "example https://login.microsoftonline.com/organizations."
    ),
    "exchange.oauth_needs_https": (
        "OAuth 2.0 sends a sign-in token with every request, so the EWS address must start "
        "with https:// (“{url}” does not)."
    ),
    "exchange.no_client_id": (
        "OAuth 2.0 needs the application (client) ID that your administrator registered for "
        "smime-guard in Microsoft Entra ID: give it with --client-id."
    ),
    # failures of the server, shown as they are
    "exchange.not_set_up": (
        "No Exchange account is set up in {home}. Sign in first: smime-guard exchange login "
        "--email ADDRESS --server https://mail.example.org/EWS/Exchange.asmx"
    ),
    "exchange.credentials_rejected": (
        "Exchange at {server} did not accept the user name or password. Check them and sign "
        "in again with smime-guard exchange login."
    ),
    "exchange.unreachable": (
        "Exchange at {server} could not be reached or did not answer in time. Check the "
        "address and the network, then try again."
    ),
    "exchange.busy": "Exchange at {server} is busy and asked to wait{wait} before trying again.",
    "exchange.busy_wait": " {seconds:.0f} seconds",
    "exchange.server_fault": (
        "Exchange at {server} failed to answer this request ({code}). Try again later."
    ),
    "exchange.bad_response": (
        "Exchange at {server} sent an answer that is not a valid EWS response. Check that the "
        "URL is the EWS address (…/EWS/Exchange.asmx), or try again later."
    ),
    "exchange.refused": "Exchange at {server} refused the request ({code}).",
    "exchange.no_password": (
        "The password for {email} is not in the system keyring. Sign in again with "
        "smime-guard exchange login."
    ),
    "exchange.autodiscover_failed": (
        "Autodiscover found no Exchange server for {email}. Give the EWS address with "
        "--server (for example https://mail.example.org/EWS/Exchange.asmx)."
    ),
    # OAuth 2.0 (Microsoft Entra ID, Exchange Online)
    "exchange.oauth_rejected": (
        "Exchange at {server} did not accept the sign-in token for {email}. Sign in again "
        "with smime-guard exchange login --auth oauth2."
    ),
    "exchange.oauth_not_signed_in": (
        "{email} is not signed in with OAuth 2.0 on this computer (or the sign-in has "
        "expired). Sign in again with smime-guard exchange login --auth oauth2."
    ),
    "exchange.oauth_authority_unreachable": (
        "The sign-in service at {authority} could not be reached or did not answer in time. "
        "Check the network, then try again."
    ),
    "exchange.oauth_authority_unknown": (
        "{authority} is not a sign-in service smime-guard can use (no OpenID configuration "
        "there). Check the tenant."
    ),
    "exchange.oauth_failed": "Signing in with OAuth 2.0 did not succeed: {reason}",
    "exchange.oauth_declined": "The sign-in was declined in the browser.",
    "exchange.oauth_expired": (
        "The sign-in code expired before the sign-in was finished. Start again."
    ),
    "exchange.oauth_cancelled": "Signing in was cancelled; nothing was stored.",
    "exchange.oauth_browser_unfinished": (
        "The sign-in in the browser did not finish (closed, timed out, or answered with "
        "something that does not belong to this sign-in). Start again."
    ),
    "exchange.oauth_wrong_account": (
        "You signed in as {signed}, but the account is {email}. Sign in with that account."
    ),
    "exchange.oauth_no_device_code": (
        "The sign-in service at {authority} does not offer sign-in with a code."
    ),
    "exchange.token_cache_kept": "The sign-in is kept encrypted in {where}.",
    "exchange.token_cache_session_only": (
        "The sign-in is kept for this session only: {reason} It is never written to a "
        "plain file, so you will be asked to sign in again next time."
    ),
    "exchange.token_store_no_libsecret": (
        "libsecret (through PyGObject, the Python module “gi”) is not installed, so there "
        "is no encrypted store for it."
    ),
    "exchange.token_store_not_working": (
        "the encrypted store ({store}) did not work here (no unlocked keyring session?)."
    ),
    "exchange.token_store_unsupported": "this system has no encrypted store smime-guard knows.",
    "exchange.token_store_dpapi": "a file encrypted for your Windows user (DPAPI)",
    "exchange.token_store_keychain": "the macOS Keychain",
    "exchange.token_store_libsecret": "the system keyring (libsecret)",
    # command line: exchange login
    "exchange.password_prompt": "Exchange password for {user}: ",
    "exchange.password_needs_terminal": (
        "The Exchange password is needed, and there is no terminal to ask for it on. Put it "
        "in an environment variable and name it with --password-env."
    ),
    "exchange.not_an_email": (
        "“{address}” is not an e-mail address of your own; give it as name@domain."
    ),
    "exchange.signed_in": (
        "Signed in to Exchange at {server} as {user}.\nThe password is kept in {backend}; the "
        "account is in {path}."
    ),
    "exchange.signed_in_oauth": (
        "Signed in to Exchange at {server} as {user} with OAuth 2.0.\n{kept} The account is "
        "in {path}."
    ),
    "exchange.device_code": (
        "To sign in, open {uri} in a browser and enter the code {code}. Waiting until "
        "{until} (Ctrl+C cancels)…"
    ),
    "exchange.browser_opening": (
        "A browser window opens for signing in; waiting until it is done (Ctrl+C cancels)…"
    ),
    "exchange.oauth_options_need_oauth2": (
        "--client-id, --tenant and --browser go with --auth oauth2."
    ),
    # the account dialog
    "exchange.dialog_title": "Exchange account",
    "exchange.dialog_intro": (
        "smime-guard looks up your colleagues' certificates in the Exchange directory and "
        "sends through your mailbox. A password is kept in the system keyring only, an "
        "OAuth 2.0 sign-in only in the system's encrypted store."
    ),
    "exchange.dialog_email": "E-mail address",
    "exchange.dialog_autodiscover": "Find the server automatically (autodiscover)",
    "exchange.dialog_server": "EWS address",
    "exchange.dialog_server_placeholder": "https://mail.example.org/EWS/Exchange.asmx",
    "exchange.dialog_username": "User name",
    "exchange.dialog_username_placeholder": "The e-mail address, or DOMAIN\\user",
    "exchange.dialog_auth": "Sign-in method",
    "exchange.dialog_password": "Password",
    "exchange.dialog_tenant": "Tenant",
    "exchange.dialog_tenant_placeholder": "organizations, or your tenant's domain or ID",
    "exchange.dialog_client_id": "Application ID",
    "exchange.dialog_client_id_placeholder": "The client ID your administrator registered",
    "exchange.dialog_oauth_flow": "Sign in with",
    "exchange.dialog_flow_device": "A code, in any browser",
    "exchange.dialog_flow_browser": "A browser window on this computer",
    "exchange.dialog_sign_in": "Sign in",
    "exchange.dialog_cancel_sign_in": "Stop signing in",
    "exchange.dialog_signing_in": "Signing in to {server}…",
    "exchange.dialog_asking_authority": "Asking {authority} for a sign-in code…",
    "exchange.dialog_device_code": (
        "Open this page in a browser, on this computer or any other, and enter the code "
        "below. This dialog waits until you have signed in there (until {until})."
    ),
    "exchange.dialog_browser_waiting": "Finish signing in in the browser window…",
    "exchange.dialog_copy_code": "Copy code",
    "exchange.dialog_signed_in": "Signed in as {email}.",
    "exchange.auth_ntlm": "NTLM (Windows sign-in)",
    "exchange.auth_basic": "Basic",
    "exchange.auth_oauth2": "OAuth 2.0 (Exchange Online, Microsoft 365)",
    "exchange.dialog_bad_email": "Enter your e-mail address, for example you@example.org.",
    "exchange.dialog_no_server": (
        "Enter the EWS address of your Exchange server, or choose autodiscover."
    ),
    "exchange.dialog_no_password": "Enter your password.",
    "exchange.dialog_no_client_id": (
        "Enter the application (client) ID that your administrator registered for smime-guard."
    ),
}
