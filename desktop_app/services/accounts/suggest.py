"""Which account kind suits an address: Autodiscover v2 tells a Microsoft 365 mailbox.

``GET {base}/autodiscover/autodiscover.json/v1.0/{address}?Protocol=Rest`` answers a
mailbox in Exchange Online with ``{"Protocol": "Rest", "Url": "https://outlook.office.com
/api"}``; anything else (an error, another host, no answer) means "not Microsoft 365",
and the usual IMAP and SMTP submission names are suggested. Nothing secret is sent: the
request carries the address only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from desktop_app.services.accounts.model import AccountKind

log = logging.getLogger(__name__)

AUTODISCOVER_BASE = "https://outlook.office365.com"
# Hosts whose REST endpoint means the mailbox is in Exchange Online.
MICROSOFT_365_HOSTS = frozenset({"outlook.office.com", "outlook.office365.com"})
# Providers whose servers are not named after the domain.
KNOWN_PROVIDERS = {
    "gmail.com": ("imap.gmail.com:993", "smtp.gmail.com:587"),
    "googlemail.com": ("imap.gmail.com:993", "smtp.gmail.com:587"),
}


@dataclass(frozen=True, slots=True)
class ServerSuggestion:
    """The kind to offer first, with the servers to fill in for IMAP."""

    kind: AccountKind
    imap: str | None = None
    smtp: str | None = None
    answered: bool = True  # False: Autodiscover could not be asked; IMAP is only a guess


def imap_defaults(address: str) -> ServerSuggestion:
    domain = address.rpartition("@")[2].lower()
    imap, smtp = KNOWN_PROVIDERS.get(domain, (f"imap.{domain}:993", f"smtp.{domain}:587"))
    return ServerSuggestion(AccountKind.IMAP, imap, smtp)


def suggest_kind(
    address: str,
    *,
    base: str = AUTODISCOVER_BASE,
    verify: bool | str = True,
    timeout: float = 5.0,
) -> ServerSuggestion:
    """Microsoft 365 when Autodiscover v2 says so, else IMAP with the usual server names."""
    import requests

    url = f"{base.rstrip('/')}/autodiscover/autodiscover.json/v1.0/{quote(address, safe='@')}"
    try:
        response = requests.get(
            url,
            params={"Protocol": "Rest"},
            headers={"Accept": "application/json"},
            timeout=timeout,
            verify=verify,
            allow_redirects=False,
        )
        document = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as error:
        log.info("autodiscover v2 did not answer: %s", type(error).__name__)
        guess = imap_defaults(address)
        return ServerSuggestion(guess.kind, guess.imap, guess.smtp, answered=False)
    if isinstance(document, dict) and str(document.get("Protocol", "")).lower() == "rest":
        host = urlsplit(str(document.get("Url", ""))).hostname or ""
        if host.lower() in MICROSOFT_365_HOSTS:
            return ServerSuggestion(AccountKind.M365)
    return imap_defaults(address)
