"""Signing in once (prove the password or token, keep it safe) and connecting later."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import MESSAGES, text
from desktop_app.services.exchange.account import (
    AccountConfig,
    AuthType,
    ExchangeSettings,
    load_exchange_account,
    save_exchange_account,
)
from desktop_app.services.mail_server_errors import NotSetUpError, OAuthError
from desktop_app.services.secrets import SecretStore

if TYPE_CHECKING:
    from desktop_app.services.accounts.kinds import KindAccess
    from desktop_app.services.exchange.connection import ExchangeConnection
    from desktop_app.services.oauth.client import OAuthClient

# exchangelib (about 0.35 s to import) is loaded by the functions that connect, so that
# the command line's grammar and the dialog's module can import this one for nothing.

log = logging.getLogger(__name__)

# The template connecting formats when the keyring holds no password for the account.
NO_PASSWORD = MESSAGES["exchange.no_password"]


def sign_in(
    access: KindAccess,
    config: AccountConfig,
    password: str,
    secrets: SecretStore,
    settings: ExchangeSettings,
    *,
    autodiscover: bool = False,
) -> AccountConfig:
    """Connect once to prove ``password``; then keep it in the keyring and the account file.

    Nothing is stored unless the server accepted the credentials. The server's build is
    learnt on the way and stored, so later connections need no version probe. The
    tokens of a previous OAuth 2.0 account are removed from ``access``'s token cache.
    """
    from desktop_app.services.exchange.connection import connect, discover

    home = access.home
    try:
        previous: AccountConfig | None = load_exchange_account(home)
    except UserFacingError:
        previous = None
    if autodiscover:
        connection = discover(config, password, settings)
    else:
        connection = connect(config.with_build(None), password, settings)
    try:
        build = connection.server_build()
    finally:
        connection.close()
    signed = connection.config.with_build(build)
    secrets.set(signed.secret_name, password)
    try:
        save_exchange_account(home, signed)
    except BaseException:
        secrets.delete(signed.secret_name)
        raise
    if previous is not None and previous.auth is AuthType.OAUTH2:
        _forget_tokens(access)
    elif previous is not None and previous.secret_name != signed.secret_name:
        secrets.delete(previous.secret_name)  # the old account's password is not needed
    log.info("exchange sign-in stored (server build %s)", ".".join(map(str, build)))
    return signed


def _forget_tokens(access: KindAccess) -> None:
    try:
        access.oauth().clear(access.home)
    except Exception as error:  # the store refusing; the account file no longer names them
        log.warning("oauth tokens of the previous account not removed: %s", type(error).__name__)


def oauth_client(
    access: KindAccess, config: AccountConfig, settings: ExchangeSettings
) -> OAuthClient:
    """The OAuth client of ``config`` over the home's token cache."""
    assert config.oauth is not None, "an OAuth 2.0 account has its authority and client ID"
    return access.oauth().client(access.home, config.oauth, settings.timeout)


def _matches(config: AccountConfig, signed_in_as: str) -> bool:
    names = {config.email.lower(), config.login_name.lower()}
    return not signed_in_as or signed_in_as.lower() in names


def sign_in_oauth(
    home: Path,
    config: AccountConfig,
    client: OAuthClient,
    signed_in_as: str,
    settings: ExchangeSettings,
    *,
    secrets: SecretStore | None = None,
) -> AccountConfig:
    """Prove the token ``client`` just obtained to the server, then keep the account.

    ``signed_in_as`` is the name the authority reported; it must be the account's. If
    the server refuses, the tokens are removed from the cache again: nothing is kept.
    A password of a previous account is removed from ``secrets`` when one is given.
    """
    from desktop_app.services.exchange.connection import connect
    from desktop_app.services.oauth.client import AccountTokens

    try:
        previous: AccountConfig | None = load_exchange_account(home)
    except UserFacingError:
        previous = None
    if not _matches(config, signed_in_as):
        if not _still_in_use(previous, signed_in_as):
            client.forget(signed_in_as)
        raise OAuthError(
            text("exchange.oauth_wrong_account", signed=signed_in_as, email=config.email)
        )
    signed = config if not signed_in_as else _with_username(config, signed_in_as)
    try:
        tokens = AccountTokens(client, signed.login_name)
        connection = connect(signed.with_build(None), tokens, settings)
        try:
            build = connection.server_build()
        finally:
            connection.close()
        signed = signed.with_build(build)
        save_exchange_account(home, signed)
    except BaseException:
        # Nothing of this attempt is kept, but the tokens of the account already set up
        # (signing in again to it, say, while its server is down) keep it working.
        if not _still_in_use(previous, signed.login_name):
            client.forget(signed.login_name)
        raise
    if previous is not None and previous.auth is not AuthType.OAUTH2 and secrets is not None:
        secrets.delete(previous.secret_name)  # the old account's password is not needed
    log.info("exchange oauth sign-in stored (server build %s)", ".".join(map(str, build)))
    return signed


def _still_in_use(previous: AccountConfig | None, login_name: str) -> bool:
    """Whether the account already set up signs in with OAuth 2.0 as ``login_name``."""
    return (
        previous is not None
        and previous.auth is AuthType.OAUTH2
        and bool(login_name)
        and _matches(previous, login_name)
    )


def _with_username(config: AccountConfig, username: str) -> AccountConfig:
    import dataclasses

    return dataclasses.replace(config, username=username)


def open_connection(access: KindAccess, settings: ExchangeSettings) -> ExchangeConnection:
    """A connection for the account of the home with the password from the keyring.

    The account is read first, so someone who never signed in is told to, whatever
    the state of the keyring. An OAuth 2.0 account takes its token from ``access``'s
    token cache (refreshed silently when due) and needs no keyring entry.
    """
    from desktop_app.services.exchange.connection import connect
    from desktop_app.services.oauth.client import AccountTokens

    config = load_exchange_account(access.home)
    if config.auth is AuthType.OAUTH2:
        client = oauth_client(access, config, settings)
        return connect(config, AccountTokens(client, config.login_name), settings)
    password = access.secrets().get(config.secret_name)
    if password is None:
        raise NotSetUpError(NO_PASSWORD.format(email=config.email))
    return connect(config, password, settings)
