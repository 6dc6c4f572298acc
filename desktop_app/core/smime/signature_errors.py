"""The error type of the CMS signature layer; its sentences are the ``signature.`` keys."""

from desktop_app.core.errors import UserFacingError

# Errors: the signature could not be read at all.

# Errors when signing: the user's own certificate or key cannot make a signature.

# Verdict reasons: the signature was read, and this is why it is (not) valid.


class SignatureError(UserFacingError):
    """A CMS signature could not be made, read or taken apart; the message says why."""
