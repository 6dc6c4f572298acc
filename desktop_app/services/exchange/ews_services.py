"""EWS calls for the directory and MailTips, with two fixes to exchangelib 5.6."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from exchangelib.errors import ErrorNameResolutionNoResults
from exchangelib.items import Contact
from exchangelib.properties import DLMailbox, Mailbox, MailTips, SendingAs
from exchangelib.services import ExpandDL, GetMailTips, ResolveNames
from exchangelib.util import TNS, add_xml_child, create_element, set_xml_value

from desktop_app.services.exchange.connection import ExchangeConnection
from desktop_app.services.exchange.model import (
    CertificateAttribute,
    CertificateBlob,
    EntryType,
    Resolution,
)
from desktop_app.services.mailtips import MailTip

log = logging.getLogger(__name__)

_CERTIFICATE_ELEMENTS = (
    (f"{{{TNS}}}UserSMIMECertificate", CertificateAttribute.USER_SMIME),
    (f"{{{TNS}}}MSExchangeCertificate", CertificateAttribute.USER_CERTIFICATE),
)
_BINARY = f"{{{TNS}}}Base64Binary"
_DISPLAY_NAME = f"{{{TNS}}}DisplayName"
_MAILBOX_TYPES = {
    "Mailbox": EntryType.MAILBOX,
    "GroupMailbox": EntryType.MAILBOX,
    "Contact": EntryType.MAILBOX,  # a mail contact of the GAL, which may carry certificates
    "PublicDL": EntryType.LIST,
    "PrivateDL": EntryType.LIST,
}
MAIL_TIPS_WANTED = "InvalidRecipient ExternalMemberCount TotalMemberCount"


def _blobs(contact: Any) -> tuple[CertificateBlob, ...]:
    if contact is None:
        return ()
    blobs = []
    for tag, attribute in _CERTIFICATE_ELEMENTS:
        element = contact.find(tag)
        if element is None:
            continue
        # The schema says an array of Base64Binary; some servers have been seen to send
        # the value as the element's own text, so both are read.
        texts = [value.text or "" for value in element.findall(_BINARY)] or [element.text or ""]
        for value in texts:
            compact = "".join(value.split())
            if not compact:
                continue
            try:
                data = base64.b64decode(compact, validate=True)
            except binascii.Error:
                data = compact.encode("ascii", "replace")  # judged (and refused) as it is
            blobs.append(CertificateBlob(attribute, data))
    return tuple(blobs)


def _resolution(
    mailbox: Mailbox | None, display_name: str | None, blobs: tuple[CertificateBlob, ...]
) -> Resolution:
    if mailbox is None:
        return Resolution(display_name or "", "", EntryType.OTHER, blobs)
    address = mailbox.email_address or ""
    entry_type = _MAILBOX_TYPES.get(mailbox.mailbox_type or "", EntryType.OTHER)
    if (mailbox.routing_type or "SMTP").upper() != "SMTP":
        entry_type = EntryType.OTHER  # an X.500 or other non-Internet address
    return Resolution(display_name or mailbox.name or address, address, entry_type, blobs)


class _ReadResponse:
    """A response whose body is already read, offered to exchangelib's parser whole."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def iter_content(self) -> Iterator[bytes]:
        return iter((self._content,))


class DirectoryResolveNames(ResolveNames):  # type: ignore[misc]
    """ResolveNames that keeps the certificates.

    WORKAROUND for exchangelib 5.6.0 (items/contact.py): Contact maps
    UserSMIMECertificate and MSExchangeCertificate, arrays of t:Base64Binary in EWS, to
    single-valued Base64Fields, so they always come back as None; and ``from_xml`` clears
    the element it reads. So the resolution is read here, before exchangelib sees it.
    """

    @classmethod
    def _get_soap_parts(cls, response: Any) -> Any:
        # WORKAROUND for exchangelib 5.6.0 (services/common.py, EWSService._get_soap_parts):
        # it parses response.iter_content(), whose default chunk size is one byte, so a
        # few kilobytes of certificates cost thousands of Python calls per lookup. This
        # request is not streamed: the body is already in memory, so it is parsed whole.
        return super()._get_soap_parts(_ReadResponse(response.content))

    def _elem_to_obj(self, elem: Any) -> Resolution:
        contact = elem.find(Contact.response_tag())
        blobs = _blobs(contact)
        display_name = contact.findtext(_DISPLAY_NAME) if contact is not None else None
        mailbox_elem = elem.find(Mailbox.response_tag())
        mailbox = (
            None if mailbox_elem is None else Mailbox.from_xml(elem=mailbox_elem, account=None)
        )
        return _resolution(mailbox, display_name, blobs)


class MailTipsRequest(GetMailTips):  # type: ignore[misc]
    """GetMailTips that asks for the tips it wants.

    WORKAROUND for exchangelib 5.6.0 (services/get_mail_tips.py, GetMailTips.get_payload):
    the requested tip types are written as bare text inside <m:GetMailTips> instead of a
    <m:MailTipsRequested> element, so Exchange rejects the request (ErrorSchemaValidation)
    or, leniently parsed, returns no tips. No upstream issue was found for it.
    """

    def get_payload(
        self, recipients: Sequence[Mailbox], sending_as: SendingAs, mail_tips_requested: str
    ) -> Any:
        payload = create_element(f"m:{self.SERVICE_NAME}")
        set_xml_value(payload, sending_as, version=self.protocol.version)
        recipients_elem = create_element("m:Recipients")
        for recipient in recipients:
            set_xml_value(recipients_elem, recipient, version=self.protocol.version)
        payload.append(recipients_elem)
        add_xml_child(payload, "m:MailTipsRequested", mail_tips_requested)
        return payload


def _mail_tip(address: str, tips: MailTips | Exception) -> MailTip:
    if isinstance(tips, Exception):
        log.info("no MailTips for one recipient: %s", type(tips).__name__)
        return MailTip(address, invalid=False, total_members=None, external_members=None)
    return MailTip(
        address,
        invalid=bool(tips.invalid_recipient),
        total_members=tips.total_member_count,
        external_members=tips.external_member_count,
    )


class EwsDirectory:
    """The Exchange global address list over one connection (a DirectorySource)."""

    def __init__(self, connection: ExchangeConnection) -> None:
        self._connection = connection

    def _timeout(self) -> float:
        return self._connection.settings.timeout

    def resolve(self, name: str) -> tuple[Resolution, ...]:
        # One name per request: EWS resolves one ambiguous name per ResolveNames, and
        # exchangelib's protocol.resolve_names() would put many into one request.
        def call() -> tuple[Resolution, ...]:
            service = DirectoryResolveNames(
                protocol=self._connection.protocol, chunk_size=1, timeout=self._timeout()
            )
            results = service.call(
                unresolved_entries=[name],
                return_full_contact_data=True,
                search_scope="ActiveDirectory",
                contact_data_shape="AllProperties",
            )
            found = []
            for result in results:
                if isinstance(result, ErrorNameResolutionNoResults):
                    continue
                if isinstance(result, Exception):
                    raise result
                found.append(result)
            return tuple(found)

        return self._connection.call(call)

    def expand(self, list_address: str) -> tuple[Resolution, ...]:
        def call() -> tuple[Resolution, ...]:
            service = ExpandDL(protocol=self._connection.protocol, timeout=self._timeout())
            dl = DLMailbox(email_address=list_address, mailbox_type="PublicDL")
            members = []
            for member in service.call(distribution_list=dl):
                if isinstance(member, ErrorNameResolutionNoResults):
                    continue
                if isinstance(member, Exception):
                    raise member
                members.append(_resolution(member, None, ()))
            return tuple(members)

        return self._connection.call(call)

    def mail_tips(self, sender: str, recipients: Sequence[str]) -> tuple[MailTip, ...]:
        def call() -> tuple[MailTip, ...]:
            service = MailTipsRequest(protocol=self._connection.protocol, timeout=self._timeout())
            answers = service.call(
                sending_as=SendingAs(email_address=sender),
                recipients=[Mailbox(email_address=address) for address in recipients],
                mail_tips_requested=MAIL_TIPS_WANTED,
            )
            return tuple(_mail_tip(a, t) for a, t in zip(recipients, answers, strict=True))

        return self._connection.call(call)
