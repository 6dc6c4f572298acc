"""rfc822Name name constraints (RFC 5280 4.2.1.10, RFC 9598 6) on every address we match on.

cryptography's verifier applies a CA's rfc822Name subtrees to subjectAltName rfc822Name
entries only. RFC 5280 also binds the subject's emailAddress attribute, and RFC 9598
binds SmtpUTF8Mailbox entries (domain compared as A-labels); without this check a
constrained CA could issue for a forbidden domain through either. Like OpenSSL, every
such address is checked, whether or not a subjectAltName is present.
"""

from collections.abc import Sequence

from cryptography import x509

from desktop_app.core.pki.cert_addresses import (
    MailName,
    TooManyAddresses,
    UnreadableNames,
    mail_names,
)
from desktop_app.core.pki.parsing import PARSE_ERRORS
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key

_Subtrees = tuple[tuple[str, ...] | None, tuple[str, ...]]


class _BadConstraint(ValueError):
    """A constraint that names no mailbox, host or domain (cannot be judged: fail closed)."""


def violates_mail_constraints(chain: Sequence[x509.Certificate]) -> bool:
    """True when a CA above ``chain[0]`` has rfc822Name subtrees that one of its addresses
    falls outside of (permitted) or inside of (excluded).

    Fails closed: an address that is malformed, or a constraint or name that cannot be
    read, counts as a violation once any rfc822Name constraint applies.
    """
    try:
        subtrees = [found for ca in chain[1:] if (found := _subtrees(ca)) is not None]
    except PARSE_ERRORS:
        return True
    if not subtrees:
        return False
    try:
        names = mail_names(chain[0]).every
    except (UnreadableNames, TooManyAddresses):
        return True
    try:
        return any(
            _outside(name, permitted, excluded)
            for permitted, excluded in subtrees
            for name in names
        )
    except _BadConstraint:
        return True


def _subtrees(ca: x509.Certificate) -> _Subtrees | None:
    """(permitted, excluded) rfc822Name values of ``ca``; permitted None: no such limit."""
    try:
        constraints = ca.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return None
    permitted = tuple(_rfc822(constraints.permitted_subtrees))
    excluded = tuple(_rfc822(constraints.excluded_subtrees))
    if not permitted and not excluded:
        return None
    return (permitted or None), excluded


def _rfc822(subtrees: Sequence[x509.GeneralName] | None) -> list[str]:
    return [entry.value for entry in subtrees or () if isinstance(entry, x509.RFC822Name)]


def _outside(name: MailName, permitted: tuple[str, ...] | None, excluded: tuple[str, ...]) -> bool:
    if name.mailbox is None:
        return True
    local, _, _ = name.mailbox.address.rpartition("@")
    domain = name.mailbox.key.rpartition("@")[2]  # A-label form, lower case
    if permitted is not None and not any(_within(local, domain, c) for c in permitted):
        return True
    return any(_within(local, domain, c) for c in excluded)


def _within(local: str, domain: str, constraint: str) -> bool:
    """RFC 5280 4.2.1.10: "user@host" is one mailbox, "host" every mailbox on that host,
    ".domain" every mailbox on any host below that domain."""
    if not constraint or not constraint.isascii():
        raise _BadConstraint(constraint)
    if "@" in constraint:
        wanted_local, _, host = constraint.rpartition("@")
        return local == wanted_local and domain == _domain(host)
    if constraint.startswith("."):
        return domain.endswith("." + _domain(constraint[1:]))
    return domain == _domain(constraint)


def _domain(value: str) -> str:
    if not value or value.startswith(".") or value.endswith("."):
        raise _BadConstraint(value)
    try:
        return domain_key(value)
    except AddressKeyError as error:
        raise _BadConstraint(value) from error
