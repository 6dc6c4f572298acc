"""The policy an administrator sets, its defaults, and the strictest policy used on errors."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from desktop_app.core.errors import UserFacingError


class RequireEncryption(StrEnum):
    """When a message must be encrypted, whatever the Encrypt toggle says."""

    ALWAYS = "always"
    EXTERNAL = "external"  # when any recipient is outside the internal domains
    NEVER = "never"


class PhiMode(StrEnum):
    """What a PHI finding does to an unencrypted send."""

    BLOCK = "block"  # "Send without encryption..." is not offered
    WARN = "warn"  # the send gate names the findings and asks for a reason
    OFF = "off"  # no scanning


_PHI_STRICTNESS: Final = {PhiMode.OFF: 0, PhiMode.WARN: 1, PhiMode.BLOCK: 2}


class RevocationPolicy(StrEnum):
    """What a certificate whose revocation nobody could confirm is worth."""

    REQUIRE = "require"  # not covered
    PREFER = "prefer"  # covered, with a warning
    OFF = "off"  # revocation is not fetched at all; only imported CRLs count


_REVOCATION_STRICTNESS: Final = {
    RevocationPolicy.OFF: 0,
    RevocationPolicy.PREFER: 1,
    RevocationPolicy.REQUIRE: 2,
}

# Higher is stricter; used to combine policies so that none can loosen another.
_STRICTNESS: Final = {
    RequireEncryption.NEVER: 0,
    RequireEncryption.EXTERNAL: 1,
    RequireEncryption.ALWAYS: 2,
}
DEFAULT_LARGE_AUDIENCE: Final = 25


class PolicyError(UserFacingError):
    """A policy file that cannot be used; ``line`` and ``field`` say where, when known."""

    def __init__(
        self, message: str, *, source: str, line: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.source = source
        self.line = line
        self.field = field


@dataclass(frozen=True, slots=True)
class Policy:
    """The sending policy.

    ``internal_domains`` hold domain keys (lower-case A-labels, see ``domain_key``) and
    match exactly: a subdomain is internal only when listed. ``large_audience``: a message
    to more unique recipients than this is flagged in the send dialog.
    """

    internal_domains: frozenset[str] = frozenset()
    require_encryption: RequireEncryption = RequireEncryption.NEVER
    allow_unencrypted_override: bool = True
    always_sign: bool = False
    large_audience: int = DEFAULT_LARGE_AUDIENCE
    phi: PhiMode = PhiMode.WARN
    protect_headers: bool = False
    # The practice's medical record number formats: (name, regular expression), checked
    # by the parser.
    mrn_patterns: tuple[tuple[str, str], ...] = ()
    revocation: RevocationPolicy = RevocationPolicy.PREFER

    def is_internal(self, address_key: str) -> bool:
        """True when the normalised address's domain is one of the internal domains."""
        return address_key.rpartition("@")[2] in self.internal_domains

    def requires_encryption(self, address_keys: Iterable[str]) -> bool:
        """True when a message to these normalised addresses must be encrypted."""
        if self.require_encryption is RequireEncryption.ALWAYS:
            return True
        if self.require_encryption is RequireEncryption.NEVER:
            return False
        return any(not self.is_internal(key) for key in address_keys)


DEFAULT_POLICY: Final = Policy()
# Used when a policy file exists but cannot be read: an administrator who wrote one meant
# to restrict something, so guessing must never loosen it. Nobody counts as internal.
STRICTEST_POLICY: Final = Policy(
    internal_domains=frozenset(),
    require_encryption=RequireEncryption.ALWAYS,
    allow_unencrypted_override=False,
    always_sign=True,
    large_audience=DEFAULT_LARGE_AUDIENCE,
    phi=PhiMode.BLOCK,
    protect_headers=True,
    revocation=RevocationPolicy.REQUIRE,
)


def tighten(base: Policy, other: Policy) -> Policy:
    """A policy at least as strict as both: ``other`` may narrow ``base``, never widen it.

    Internal domains are those both list; when ``base`` lists none, everyone is external to
    it and ``other`` cannot change that. Encryption is required as often as the stricter
    says; an unencrypted override is offered only if both allow it; signing is forced if
    either forces it; the smaller audience threshold wins; revocation is required as
    strictly as the stricter says; the stricter PHI mode wins, headers are protected if
    either asks, and every MRN pattern of both is looked for.
    """
    if base.internal_domains and other.internal_domains:
        internal = base.internal_domains & other.internal_domains
    else:
        internal = base.internal_domains
    return Policy(
        internal_domains=internal,
        require_encryption=max(
            base.require_encryption, other.require_encryption, key=_STRICTNESS.__getitem__
        ),
        allow_unencrypted_override=(
            base.allow_unencrypted_override and other.allow_unencrypted_override
        ),
        always_sign=base.always_sign or other.always_sign,
        large_audience=min(base.large_audience, other.large_audience),
        phi=max(base.phi, other.phi, key=_PHI_STRICTNESS.__getitem__),
        protect_headers=base.protect_headers or other.protect_headers,
        mrn_patterns=base.mrn_patterns
        + tuple(p for p in other.mrn_patterns if p not in base.mrn_patterns),
        revocation=max(base.revocation, other.revocation, key=_REVOCATION_STRICTNESS.__getitem__),
    )
