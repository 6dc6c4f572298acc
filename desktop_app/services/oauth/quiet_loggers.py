"""Keeping the tokens and codes of an OAuth 2.0 sign-in out of every log."""

import logging

# Libraries that log secrets below INFO, whatever the root logger's level: msal logs each
# token request's form with the device code or authorization code in it (token_cache.py,
# TokenCache.add: "event=...") and the browser's answer with its code (oauth2cli/
# authcode.py: "Got auth response"); requests-oauthlib the Authorization header
# (oauth2_session.py, OAuth2Session.request: "Supplying headers").
_SECRET_LOGGERS = ("msal", "requests_oauthlib")
# exchangelib's loggers that quote request headers (util.py, transport.py).
_HEADER_LOGGERS = ("exchangelib.util", "exchangelib.transport")


class _DropAuthorization(logging.Filter):
    """Drops a record that quotes an Authorization header (or cannot be read to check)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot even be formatted is not worth the risk
            return False
        return "Authorization" not in message and "Bearer " not in message


def quiet_secret_loggers() -> None:
    """Keep the libraries that see tokens and codes from logging them, at any root level.

    exchangelib logs the request headers, Authorization included (util.py,
    post_ratelimited, at DEBUG and in its ERROR records). Its records go nowhere anyway
    (``logging_setup``), but a handler hooked onto it directly (pytest's log capture
    does that) would still see them: such records are dropped at the source.
    """
    for name in _SECRET_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    for name in _HEADER_LOGGERS:
        headers = logging.getLogger(name)
        if not any(isinstance(known, _DropAuthorization) for known in headers.filters):
            headers.addFilter(_DropAuthorization())
