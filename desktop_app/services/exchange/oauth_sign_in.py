"""The steps of signing in, as a window runs them off its GUI thread one by one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.services.exchange.account import AccountConfig
from desktop_app.services.exchange.session import oauth_client, sign_in, sign_in_oauth
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.oauth.client import DeviceFlow, OAuthClient
from desktop_app.services.secrets import SecretStore, SecretStoreUnavailable


class OAuthFlow(StrEnum):
    """How the user proves who they are to Microsoft Entra ID."""

    DEVICE_CODE = "device_code"  # a code typed into any browser, on any device
    BROWSER = "browser"  # a browser window on this computer


@dataclass(frozen=True)
class DeviceCodeStart:
    """A device-code sign-in under way: the account, its client, and the flow to wait on."""

    config: AccountConfig
    client: OAuthClient
    flow: DeviceFlow


class SignInOperations:
    """Signing in for one home; every method blocks and belongs off the GUI thread.

    Calling the object signs in with a password: ``(config, password, autodiscover)``.
    The keyring is opened first, so a missing one is reported before the server is
    asked; nothing is stored unless the server agrees. ``timeout`` shortens the
    Exchange settings' own, so that a wrong address is reported quickly.
    """

    def __init__(self, access: MailAccess, timeout: float | None = None) -> None:
        self._access = access
        self._settings = access.exchange_settings(timeout)

    @property
    def default_client_id(self) -> str | None:
        return self._settings.oauth_client_id

    def __call__(self, config: AccountConfig, password: str, autodiscover: bool) -> AccountConfig:
        secrets = self._access.secrets()
        return sign_in(
            self._access, config, password, secrets, self._settings, autodiscover=autodiscover
        )

    def _client(self, config: AccountConfig) -> OAuthClient:
        return oauth_client(self._access, config, self._settings)

    def _secrets_if_any(self) -> SecretStore | None:
        try:
            return self._access.secrets()
        except SecretStoreUnavailable:
            return None  # tokens need no keyring; only an old password would be removed

    def start_device_code(self, config: AccountConfig) -> DeviceCodeStart:
        client = self._client(config)
        return DeviceCodeStart(config, client, client.start_device_flow())

    def finish_device_code(self, start: DeviceCodeStart) -> AccountConfig:
        """Wait for the user to enter the code (``start.flow.cancel()`` stops it)."""
        signed_in_as = start.client.finish_device_flow(start.flow)
        return self._keep(start.config, start.client, signed_in_as)

    def sign_in_with_browser(self, config: AccountConfig) -> AccountConfig:
        client = self._client(config)
        signed_in_as = client.sign_in_with_browser(config.login_name)
        return self._keep(config, client, signed_in_as)

    def _keep(self, config: AccountConfig, client: OAuthClient, signed_in_as: str) -> AccountConfig:
        secrets = self._secrets_if_any()
        return sign_in_oauth(
            self._access.home, config, client, signed_in_as, self._settings, secrets=secrets
        )

    def token_cache_notice(self, config: AccountConfig) -> str:
        """Where the sign-in of ``config`` is kept, in a sentence for the user."""
        return self._client(config).cache.notice
