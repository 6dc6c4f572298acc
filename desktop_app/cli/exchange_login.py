"""``smime-guard exchange login``: prove a password or an OAuth 2.0 sign-in once, keep it safe."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, TextIO

from desktop_app.cli.exit_codes import EXIT_OK
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import KindAccess
    from desktop_app.services.exchange.account import AccountConfig, ExchangeSettings
    from desktop_app.services.secrets import SecretStore


class NotAnEmailError(UserFacingError):
    """--email is an Exchange-internal address, not an Internet one."""


class OAuthOptionsError(UserFacingError):
    """OAuth-only options given with a password sign-in."""


def add_login_options(
    login: argparse.ArgumentParser, auth_choices: tuple[str, ...], default_auth: str
) -> None:
    """The ``exchange login`` grammar (standard library only)."""
    login.add_argument("--email", required=True, metavar="ADDR", help="your e-mail address")
    where = login.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", metavar="EWS_URL", help="the EWS URL (…/EWS/Exchange.asmx)")
    where.add_argument(
        "--autodiscover",
        action="store_true",
        help="find the EWS URL (HTTPS, DNS); with oauth2: Exchange Online's",
    )
    login.add_argument("--username", metavar="USER", help="sign-in name (default: --email)")
    login.add_argument("--auth", choices=auth_choices, default=default_auth)
    login.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding the password"
    )
    oauth = login.add_argument_group("OAuth 2.0 (Exchange Online, --auth oauth2)")
    oauth.add_argument(
        "--client-id", metavar="ID", help="application (client) ID registered in Entra ID"
    )
    oauth.add_argument(
        "--tenant",
        metavar="TENANT",
        help="tenant domain or ID, or the authority URL (default: organizations)",
    )
    oauth.add_argument(
        "--browser",
        action="store_true",
        help="sign in in a browser window here instead of with a code",
    )


def _password(arguments: argparse.Namespace, user: str, stdin: TextIO) -> str:
    from desktop_app.cli.password_env import PasswordUnavailableError, password_from_environment

    value = password_from_environment(arguments)
    if value is not None:
        return value
    if stdin.isatty():
        return getpass.getpass(text("exchange.password_prompt", user=user))
    raise PasswordUnavailableError(text("exchange.password_needs_terminal"))


def _oauth_config(arguments: argparse.Namespace, settings: ExchangeSettings) -> AccountConfig:
    from desktop_app.services.exchange.account import (
        EXCHANGE_ONLINE_EWS,
        AccountConfig,
        AuthType,
        check_oauth_url,
    )
    from desktop_app.services.mail_server_errors import UnsupportedAuthError
    from desktop_app.services.oauth.config import OAuthConfig, authority_url

    client_id = arguments.client_id or settings.oauth_client_id
    if not client_id:
        raise UnsupportedAuthError(text("exchange.no_client_id"))
    url = EXCHANGE_ONLINE_EWS if arguments.autodiscover else check_oauth_url(arguments.server)
    oauth = OAuthConfig(authority_url(arguments.tenant), client_id.strip())
    return AccountConfig(
        arguments.email, url, AuthType.OAUTH2, arguments.username or None, oauth=oauth
    )


def _login_oauth(
    arguments: argparse.Namespace, access: KindAccess, settings: ExchangeSettings
) -> int:
    from desktop_app.services.exchange.session import oauth_client, sign_in_oauth
    from desktop_app.services.oauth.interactive import sign_in_interactively
    from desktop_app.services.secrets import SecretStoreUnavailable

    home = access.home
    config = _oauth_config(arguments, settings)
    client = oauth_client(access, config, settings)
    signed_in_as = sign_in_interactively(
        client,
        config.login_name,
        browser=arguments.browser,
        say=lambda line: print(line, flush=True),
    )
    try:
        secrets: SecretStore | None = access.secrets()
    except SecretStoreUnavailable:
        secrets = None  # no password to remove, and no keyring needed for tokens
    signed = sign_in_oauth(home, config, client, signed_in_as, settings, secrets=secrets)
    print(
        text(
            "exchange.signed_in_oauth",
            server=signed.server,
            user=signed.login_name,
            kept=client.cache.notice,
            path=home,
        )
    )
    return EXIT_OK


def run_login(
    arguments: argparse.Namespace,
    access: KindAccess,
    settings: ExchangeSettings,
    stdin: TextIO | None = None,
) -> int:
    """Run ``exchange login``; nothing is stored unless the server accepted the sign-in."""
    from desktop_app.core.recipients.addresses import MailboxKind, parse_mailbox
    from desktop_app.services.exchange.account import AccountConfig, AuthType, check_url
    from desktop_app.services.exchange.session import sign_in

    # Refuse before asking for anything: no valid address or URL, options that don't fit.
    mailbox = parse_mailbox(arguments.email)
    if mailbox.kind is not MailboxKind.SMTP:
        raise NotAnEmailError(text("exchange.not_an_email", address=arguments.email))
    arguments.email = mailbox.address
    if arguments.auth == AuthType.OAUTH2.value:
        return _login_oauth(arguments, access, settings)
    if arguments.client_id or arguments.tenant or arguments.browser:
        raise OAuthOptionsError(text("exchange.oauth_options_need_oauth2"))
    secrets = access.secrets()  # no keyring: the password is not even asked for
    url = "" if arguments.autodiscover else check_url(arguments.server)
    config = AccountConfig(mailbox.address, url, AuthType(arguments.auth), arguments.username)
    password = _password(arguments, config.login_name, stdin or sys.stdin)
    signed = sign_in(
        access, config, password, secrets, settings, autodiscover=bool(arguments.autodiscover)
    )
    print(
        text(
            "exchange.signed_in",
            server=signed.server,
            user=signed.login_name,
            backend=secrets.backend_name,
            path=access.home,
        )
    )
    return EXIT_OK
