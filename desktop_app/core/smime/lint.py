"""Lint an S/MIME message as sent: the interoperability faults that stop clients opening it.

The MIME structure is walked without decoding bodies; each CMS part is decoded and its
algorithms checked (lint_cms). Attachment names are checked only where they are visible:
in an unencrypted message, inside an opaque signed message, or in a decrypted inner
entity given to ``lint_inner``.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

from desktop_app.core.messages import text
from desktop_app.core.mime.decode import decode_body
from desktop_app.core.mime.errors import MimeError
from desktop_app.core.mime.parse import (
    MULTIPART_SIGNED,
    SMIME_MIME_TYPES,
    SMIME_SIGNATURE_TYPES,
    parse_inner_mime,
)
from desktop_app.core.mime.tree import Entity, parse_tree
from desktop_app.core.smime.lint_cms import CmsUnreadable, inspect_cms
from desktop_app.core.smime.lint_findings import (
    FindingCode,
    LintError,
    LintFinding,
    Severity,
    finding,
)

__all__ = ["FindingCode", "LintError", "LintFinding", "Severity", "lint_inner", "lint_message"]

# Pre-RFC 2633 names, still sent by some older clients, and their standard names.
_LEGACY_TYPES: Final = {
    "application/x-pkcs7-mime": "application/pkcs7-mime",
    "application/x-pkcs7-signature": "application/pkcs7-signature",
}
# An opaque signed message may wrap another; real mail nests two or three levels.
_MAX_CMS_NESTING: Final = 4
# RFC 5322 3.6: fields a message may carry at most once. Two From: fields in particular
# let one client show one sender and another client (or the signature check) the other.
_ONCE_ONLY: Final = (
    "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
    "In-Reply-To", "References",
)  # fmt: skip


def lint_message(eml: bytes) -> tuple[LintFinding, ...]:
    """The interoperability faults of a message as sent (headers and body), in the order
    found, without repeats.

    Raises:
        LintError: the file is not a readable MIME message.
    """
    return _Lint().run(eml, inner=False)


def lint_inner(inner: bytes) -> tuple[LintFinding, ...]:
    """The faults visible in a decrypted inner entity, attachment names included.

    Raises:
        LintError: not a readable MIME entity.
    """
    return _Lint().run(inner, inner=True)


class _Lint:
    """The findings of one lint run, kept in order and without duplicates."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], LintFinding] = {}

    def add(self, item: LintFinding) -> None:
        self._found.setdefault((item.code, item.message), item)

    def report(self, code: FindingCode, message: str) -> None:
        self.add(finding(code, message))

    def run(self, data: bytes, *, inner: bool) -> tuple[LintFinding, ...]:
        try:
            root = parse_tree(data)
        except MimeError as exc:
            raise LintError(text("lint.unreadable", reason=exc.message)) from exc
        if not root.fields:
            raise LintError(text("lint.not_mime"))
        self._bare_lf(root, data)
        counts = Counter(field.name.lower() for field in root.fields)
        for name in _ONCE_ONLY if not inner else ():
            if counts[name.lower()] > 1:
                message = text("lint.duplicate_header", name=name, count=counts[name.lower()])
                self.report(FindingCode.DUPLICATE_HEADER, message)
        if root.header("Bcc") is not None:
            self.report(FindingCode.BCC_HEADER, text("lint.bcc_header"))
        self._entity_tree(root, data, visible=inner, nesting=0)
        return tuple(self._found.values())

    def _entity_tree(self, root: Entity, data: bytes, *, visible: bool, nesting: int) -> None:
        """Check every part under ``root``; ``visible``: its attachments are readable."""
        leaves = list(_leaves(root))
        envelopes = []
        others = []  # parts that are not CMS: they travel as plain MIME
        for entity in leaves:
            if entity.content_type not in SMIME_MIME_TYPES | SMIME_SIGNATURE_TYPES:
                others.append(entity)
            elif self._cms_part(entity, nesting=nesting):
                envelopes.append(entity)
        for entity in _multiparts(root):
            protocol = entity.params.get("protocol", "").lower()
            if entity.content_type == MULTIPART_SIGNED and protocol in _LEGACY_TYPES:
                self._legacy(protocol)
        # A signature beside an envelope (signed after encrypting) is not plaintext.
        for entity in others if envelopes else ():
            message = text("lint.plaintext_beside_envelope", content_type=entity.content_type)
            self.report(FindingCode.PLAINTEXT_BESIDE_ENVELOPE, message)
        if visible or not envelopes:
            self._attachment_names(data)

    def _cms_part(self, entity: Entity, *, nesting: int) -> bool:
        """Check one application/(x-)pkcs7-* part; True if it is an encrypted envelope."""
        if entity.content_type in _LEGACY_TYPES:
            self._legacy(entity.content_type)
        is_mime = entity.content_type in SMIME_MIME_TYPES
        if is_mime and not entity.params.get("smime-type"):
            self.report(FindingCode.MISSING_SMIME_TYPE, text("lint.missing_smime_type"))
        if not entity.params.get("name"):
            expected = "smime.p7m" if is_mime else "smime.p7s"
            self.report(FindingCode.MISSING_NAME, text("lint.missing_name", expected=expected))
        encoding = entity.transfer_encoding
        if encoding != "base64":
            self.report(FindingCode.CMS_NOT_BASE64, text("lint.cms_not_base64", encoding=encoding))
        try:
            cms_report = inspect_cms(decode_body(entity.body, encoding))
        except CmsUnreadable:
            self.report(FindingCode.CMS_UNREADABLE, text("lint.cms_unreadable"))
            return False
        for item in cms_report.findings:
            self.add(item)
        if cms_report.content is not None and nesting < _MAX_CMS_NESTING:
            self._signed_content(cms_report.content, nesting=nesting + 1)
        return cms_report.encrypted

    def _signed_content(self, content: bytes, *, nesting: int) -> None:
        """The MIME inside an opaque signed message: readable by anyone, so checked fully."""
        try:
            root = parse_tree(content)
        except MimeError:
            return  # not MIME: nothing more to check; the signature covers what it covers
        self._bare_lf(root, content)
        self._entity_tree(root, content, visible=True, nesting=nesting)

    def _bare_lf(self, root: Entity, data: bytes) -> None:
        """LF without CR anywhere but in bodies of binary data (CMS sent as binary or 8bit,
        already reported), where such bytes are content."""
        count = data.count(b"\n") - data.count(b"\r\n")
        for leaf in _leaves(root):
            if leaf.transfer_encoding in ("binary", "8bit") and not leaf.content_type.startswith(
                "text/"
            ):
                start, end = leaf.body_start, leaf.end
                count -= data.count(b"\n", start, end) - data.count(b"\r\n", start, end)
        if count > 0:
            self.report(FindingCode.BARE_LF, text("lint.bare_lf"))

    def _legacy(self, content_type: str) -> None:
        message = text(
            "lint.legacy_content_type", legacy=content_type, current=_LEGACY_TYPES[content_type]
        )
        self.report(FindingCode.LEGACY_CONTENT_TYPE, message)

    def _attachment_names(self, data: bytes) -> None:
        try:
            attachments = parse_inner_mime(data).attachments
        except MimeError:  # pragma: no cover - the same bytes were parsed already
            return
        names: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for attachment in attachments:
            if attachment.name_generated:
                # Inline pictures referred to by Content-ID need no name of their own.
                if attachment.content_id is None:
                    message = text(
                        "lint.attachment_without_name", content_type=attachment.content_type
                    )
                    self.report(FindingCode.ATTACHMENT_WITHOUT_NAME, message)
                continue
            key = attachment.filename.casefold()
            names[key] += 1
            shown.setdefault(key, attachment.filename)
        for key, count in names.items():
            if count > 1:
                message = text("lint.duplicate_attachment_name", count=count, name=shown[key])
                self.report(FindingCode.DUPLICATE_ATTACHMENT_NAME, message)


def _leaves(entity: Entity) -> list[Entity]:
    if not entity.children:
        return [entity]
    return [leaf for child in entity.children for leaf in _leaves(child)]


def _multiparts(entity: Entity) -> list[Entity]:
    if not entity.children:
        return []
    return [entity, *(m for child in entity.children for m in _multiparts(child))]
