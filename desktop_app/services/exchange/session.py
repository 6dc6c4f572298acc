"""Signing in once (prove the password, keep it in the keyring) and connecting later."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from desktop_app.core.errors import UserFacingError
from desktop_app.services.exchange.account import (
    AccountConfig,
    ExchangeSettings,
    load_account,
    save_account,
)
from desktop_app.services.exchange.connection import ExchangeConnection, connect, discover
from desktop_app.services.exchange.errors import NO_PASSWORD, NotSetUpError
from desktop_app.services.secrets import SecretStore

log = logging.getLogger(__name__)


def sign_in(
    home: Path,
    config: AccountConfig,
    password: str,
    secrets: SecretStore,
    settings: ExchangeSettings,
    *,
    autodiscover: bool = False,
) -> AccountConfig:
    """Connect once to prove ``password``; then keep it in the keyring and the account file.

    Nothing is stored unless the server accepted the credentials. The server's build is
    learnt on the way and stored, so later connections need no version probe.
    """
    try:
        previous: AccountConfig | None = load_account(home)
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
        save_account(home, signed)
    except BaseException:
        secrets.delete(signed.secret_name)
        raise
    if previous is not None and previous.secret_name != signed.secret_name:
        secrets.delete(previous.secret_name)  # the old account's password is not needed
    log.info("exchange sign-in stored (server build %s)", ".".join(map(str, build)))
    return signed


def open_connection(
    home: Path, open_secrets: Callable[[], SecretStore], settings: ExchangeSettings
) -> ExchangeConnection:
    """A connection for the account of ``home`` with the password from the keyring.

    The account is read first, so someone who never signed in is told to, whatever
    the state of the keyring.
    """
    config = load_account(home)
    password = open_secrets().get(config.secret_name)
    if password is None:
        raise NotSetUpError(NO_PASSWORD.format(email=config.email))
    return connect(config, password, settings)
