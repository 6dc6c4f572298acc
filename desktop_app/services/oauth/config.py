"""Where an OAuth 2.0 sign-in happens (Microsoft Entra ID): the authority, its tenant, the app."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text

# Microsoft Entra ID: "organizations" lets any work account sign in; a tenant's domain or
# ID in its place keeps the sign-in to that tenant.
ENTRA_AUTHORITY_BASE = "https://login.microsoftonline.com/"
DEFAULT_TENANT = "organizations"
# Delegated access to the signed-in user's mailbox over EWS (Exchange Online): what an
# account asks for unless its kind names other scopes (Graph and IMAP do).
EWS_SCOPE = "https://outlook.office365.com/EWS.AccessAsUser.All"


class BadAuthorityError(UserFacingError):
    """The OAuth 2.0 authority is not an https URL with a tenant."""


@dataclass(frozen=True, slots=True)
class OAuthConfig:
    """Where an OAuth 2.0 sign-in happens: the authority (with its tenant) and the app.

    ``client_id`` is the application (client) ID of a public client app registered in
    the tenant with the delegated permissions of ``scopes`` (by default
    ``EWS.AccessAsUser.All``).
    """

    authority: str
    client_id: str
    scopes: tuple[str, ...] = (EWS_SCOPE,)

    @property
    def authority_host(self) -> str:
        return self.authority.split("://", 1)[-1].split("/", 1)[0]


def authority_url(tenant_or_url: str | None) -> str:
    """The authority for a tenant name, domain or ID, or an authority URL given whole."""
    value = (tenant_or_url or "").strip() or DEFAULT_TENANT
    if "://" in value:
        return check_authority(value)
    return ENTRA_AUTHORITY_BASE + value.strip("/")


def check_authority(url: str) -> str:
    """``url`` if it is an https URL with a host and a tenant, else BadAuthorityError."""
    scheme, separator, rest = url.partition("://")
    host, _, path = rest.partition("/")
    if not separator or scheme.lower() != "https" or not host or not path.strip("/"):
        raise BadAuthorityError(text("exchange.bad_authority", url=url))
    return url.rstrip("/")
