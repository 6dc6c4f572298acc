"""The configured certificate sources as the compose window's directory (``AnsweringDirectory``).

Runs on the background helper's thread only, so a directory that is down or slow never
blocks the window: its recipients stay "checking" until the answer, then say why the
lookup failed. A failed answer is kept for ``RETRY_AFTER`` so that re-checking a draft on
every edit does not wait for a dead server each time. With an Exchange account too, its
answers come first and the sources add to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desktop_app.core.errors import UserFacingError
from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.core.recipients.addresses import Mailbox, parse_mailbox
from desktop_app.services.certificates.cache import SourceCache
from desktop_app.services.certificates.consult import Consulted, consult, keep_in_store
from desktop_app.services.certificates.source import CertificateSource, FindingKind
from desktop_app.services.mailbox.directory import AnsweringDirectory, DirectoryAnswer

if TYPE_CHECKING:
    from desktop_app.services.certstore.store import CertStore

log = logging.getLogger(__name__)

RETRY_AFTER = timedelta(seconds=30)


def _members(addresses: Sequence[str]) -> tuple[Mailbox, ...]:
    found = []
    for address in addresses:
        try:
            found.append(parse_mailbox(address))
        except UserFacingError:
            continue
    return tuple(found)


def answers_of(consulted: Consulted) -> dict[str, DirectoryAnswer]:
    """The sources' findings as directory answers, per normalised address."""
    answers: dict[str, DirectoryAnswer] = {}
    for key, findings in consulted.findings.items():
        published = consulted.certificates.get(key, [])
        labels: dict[str, str] = {}
        certificates = []
        for item in published:
            fingerprint = fingerprint_sha256(item.certificate)
            if fingerprint not in labels:
                labels[fingerprint] = item.source
                certificates.append(item.certificate)
        lists = [f for f in findings if f.kind is FindingKind.LIST]
        known = any(f.kind in (FindingKind.PERSON, FindingKind.LIST) for f in findings)
        failures = [f.failure for f in findings if f.kind is FindingKind.UNREACHABLE and f.failure]
        failure = None if known else next(iter(failures), None)
        answers[key] = DirectoryAnswer(
            certificates=tuple(certificates),
            members=_members(lists[0].members) if lists else None,
            failure=lists[0].incomplete if lists else failure,
            current=known and not failures,
            labels=tuple(labels.items()),
        )
    return answers


def _merged(first: DirectoryAnswer, second: DirectoryAnswer) -> DirectoryAnswer:
    seen = {fingerprint_sha256(c) for c in first.certificates}
    certificates = first.certificates + tuple(
        c for c in second.certificates if fingerprint_sha256(c) not in seen
    )
    members = first.members if first.members is not None else second.members
    failure = None
    if not certificates and members is None:
        failure = first.failure or second.failure
    elif members is not None:
        failure = first.failure if first.members is not None else second.failure
    return DirectoryAnswer(
        certificates,
        members,
        failure,
        current=first.current and second.current,
        labels=first.labels + second.labels,
    )


class SourcesDirectory:
    """Answers from every configured source (and Exchange's directory, when there is one)."""

    def __init__(
        self,
        sources: Sequence[tuple[CertificateSource, SourceCache]],
        store: CertStore,
        clock: Callable[[], datetime],
        also: AnsweringDirectory | None = None,
        *,
        retry_after: timedelta = RETRY_AFTER,
    ) -> None:
        self._sources = sources
        self._store = store
        self._clock = clock
        self._also = also
        self._retry_after = retry_after
        self._failed: dict[str, tuple[datetime, DirectoryAnswer]] = {}

    def answers(self, address_keys: Sequence[str]) -> Mapping[str, DirectoryAnswer]:
        now = self._clock()
        keys = list(dict.fromkeys(address_keys))
        found: dict[str, DirectoryAnswer] = {}
        ask = []
        for key in keys:
            failed = self._failed.get(key)
            if failed is not None and now - failed[0] < self._retry_after:
                found[key] = failed[1]
            else:
                ask.append(key)
        if ask:
            consulted = consult(self._sources, ask)
            keep_in_store(self._store, consulted, now)
            for key, answer in answers_of(consulted).items():
                found[key] = answer
                if answer.failure is not None and not answer.certificates:
                    self._failed[key] = (now, answer)
                else:
                    self._failed.pop(key, None)
        if self._also is None:
            return found
        merged = dict(self._also.answers(keys))
        for key, answer in found.items():
            merged[key] = _merged(merged[key], answer) if key in merged else answer
        return merged

    def close(self) -> None:
        for source, _ in self._sources:
            source.close()
