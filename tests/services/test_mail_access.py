"""MailAccess: the keyring opens only when asked; a timeout given only shortens."""

from pathlib import Path

from desktop_app.services.exchange.account import ExchangeSettings
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import OAuthContext
from desktop_app.services.secrets import SecretStore
from tests.services.keyrings import InMemoryKeyring


def test_the_keyring_is_opened_only_when_asked_for(tmp_path: Path) -> None:
    opened: list[SecretStore] = []

    def open_keyring() -> SecretStore:
        opened.append(SecretStore(InMemoryKeyring()))
        return opened[-1]

    access = MailAccess(tmp_path, secrets=open_keyring)
    assert opened == []  # making it opens nothing
    assert access.home == tmp_path
    assert access.secrets() is opened[0]


def test_the_oauth_context_is_made_once_and_kept(tmp_path: Path) -> None:
    given = OAuthContext()
    assert MailAccess(tmp_path, oauth=given).oauth() is given
    made = MailAccess(tmp_path)
    assert made.oauth() is made.oauth()


def test_a_timeout_only_shortens_the_exchange_settings(tmp_path: Path) -> None:
    settings = ExchangeSettings(timeout=10.0, workers=3)
    access = MailAccess(tmp_path, exchange_settings=settings)
    assert access.exchange_settings() == settings
    assert access.exchange_settings(timeout=4.0) == ExchangeSettings(timeout=4.0, workers=3)
    assert access.exchange_settings(timeout=60.0) == settings  # never lengthened
    assert MailAccess(tmp_path).exchange_settings() == ExchangeSettings()
