"""SOAP response bodies, shaped like the examples in Microsoft's EWS reference.

Exchange 2016 answers with a ServerVersionInfo header whose Version is a date string
("V2017_07_11") rather than an API name; exchangelib copes with that, so the server
does the same.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from tests.ews_server.model import DirectoryEntry, StoredItem

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
MESSAGES_NS = "http://schemas.microsoft.com/exchange/services/2006/messages"
TYPES_NS = "http://schemas.microsoft.com/exchange/services/2006/types"
ERRORS_NS = "http://schemas.microsoft.com/exchange/services/2006/errors"

BUILD = (15, 1, 2507, 6)  # Exchange Server 2016 CU23

_HEADER = (
    "<s:Header>"
    '<h:ServerVersionInfo MajorVersion="{0}" MinorVersion="{1}" MajorBuildNumber="{2}" '
    'MinorBuildNumber="{3}" Version="V2017_07_11" '
    f'xmlns:h="{TYPES_NS}" xmlns="{TYPES_NS}" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    "</s:Header>"
).format(*BUILD)


def envelope(body: str, *, header: bool = True) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP_NS}">'
        + (_HEADER if header else "")
        + '<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">' + body + "</s:Body></s:Envelope>"
    ).encode("utf-8")


def operation_response(
    operation: str, messages: Iterable[str], message_tag: str | None = None
) -> bytes:
    """``<m:{operation}Response>`` holding one response message per item of ``messages``."""
    tag = message_tag or f"{operation}ResponseMessage"
    inner = "".join(f"<m:{tag} {message}</m:{tag}>" for message in messages)
    return envelope(
        f'<m:{operation}Response xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}">'
        f"<m:ResponseMessages>{inner}</m:ResponseMessages>"
        f"</m:{operation}Response>"
    )


def success(content: str) -> str:
    """The attributes and children of a successful response message."""
    return f'ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>{content}'


def error(code: str, text: str, response_class: str = "Error", content: str = "") -> str:
    return (
        f'ResponseClass="{response_class}"><m:MessageText>{escape(text)}</m:MessageText>'
        f"<m:ResponseCode>{code}</m:ResponseCode>"
        f"<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>{content}"
    )


def soap_fault(code: str, text: str, detail_xml: str = "") -> bytes:
    """A SOAP fault as EWS sends it (with HTTP 500): the code is also in the detail."""
    return envelope(
        "<s:Fault>"
        f'<faultcode xmlns:a="{TYPES_NS}">a:{code}</faultcode>'
        f'<faultstring xml:lang="en-US">{escape(text)}</faultstring>'
        "<detail>"
        f'<e:ResponseCode xmlns:e="{ERRORS_NS}">{code}</e:ResponseCode>'
        f'<e:Message xmlns:e="{ERRORS_NS}">{escape(text)}</e:Message>'
        f"{detail_xml}"
        "</detail></s:Fault>",
        header=False,
    )


def server_busy(back_off_ms: int) -> bytes:
    detail = (
        f'<t:MessageXml xmlns:t="{TYPES_NS}">'
        f'<t:Value Name="BackOffMilliseconds">{back_off_ms}</t:Value></t:MessageXml>'
    )
    return soap_fault(
        "ErrorServerBusy",
        "The server cannot service this request right now. Try again later.",
        detail,
    )


def schema_violation(violation: str) -> bytes:
    detail = (
        f'<t:MessageXml xmlns:t="{TYPES_NS}">'
        "<t:LineNumber>1</t:LineNumber><t:LinePosition>1</t:LinePosition>"
        f"<t:Violation>{escape(violation)}</t:Violation></t:MessageXml>"
    )
    return soap_fault("ErrorSchemaValidation", "The request failed schema validation.", detail)


def mailbox_xml(entry: DirectoryEntry, tag: str = "t:Mailbox") -> str:
    return (
        f"<{tag}><t:Name>{escape(entry.name)}</t:Name>"
        f"<t:EmailAddress>{escape(entry.address)}</t:EmailAddress>"
        "<t:RoutingType>SMTP</t:RoutingType>"
        f"<t:MailboxType>{entry.mailbox_type}</t:MailboxType></{tag}>"
    )


def _binary_array(tag: str, blobs: list[bytes]) -> str:
    if not blobs:
        return ""
    values = "".join(
        f"<t:Base64Binary>{base64.b64encode(blob).decode('ascii')}</t:Base64Binary>"
        for blob in blobs
    )
    return f"<t:{tag}>{values}</t:{tag}>"


def contact_xml(entry: DirectoryEntry, shape: str | None) -> str:
    """The t:Contact of a resolution; certificates only with ContactDataShape=AllProperties."""
    given, _, surname = entry.name.partition(" ")
    certificates = ""
    if shape == "AllProperties":
        certificates = _binary_array("UserSMIMECertificate", entry.smime) + _binary_array(
            "MSExchangeCertificate", entry.exchange
        )
    return (
        "<t:Contact>"
        f"<t:DisplayName>{escape(entry.name)}</t:DisplayName>"
        f"<t:GivenName>{escape(given)}</t:GivenName>"
        "<t:EmailAddresses>"
        f'<t:Entry Key="EmailAddress1">SMTP:{escape(entry.address)}</t:Entry>'
        "</t:EmailAddresses>"
        "<t:ContactSource>ActiveDirectory</t:ContactSource>"
        + (f"<t:Surname>{escape(surname)}</t:Surname>" if surname else "")
        + certificates
        + "</t:Contact>"
    )


def resolution_set(entries: list[DirectoryEntry], full: bool, shape: str | None) -> str:
    resolutions = "".join(
        "<t:Resolution>"
        + mailbox_xml(entry)
        + (contact_xml(entry, shape) if full else "")
        + "</t:Resolution>"
        for entry in entries
    )
    return (
        f'<m:ResolutionSet TotalItemsInView="{len(entries)}" IncludesLastItemInRange="true">'
        f"{resolutions}</m:ResolutionSet>"
    )


def dl_expansion(members: list[DirectoryEntry]) -> str:
    return (
        f'<m:DLExpansion TotalItemsInView="{len(members)}" IncludesLastItemInRange="true">'
        + "".join(mailbox_xml(member) for member in members)
        + "</m:DLExpansion>"
    )


def mail_tips(address: str, invalid: bool, member_count: int, external: int) -> str:
    tips = (
        "<t:RecipientAddress><t:Name/>"
        f"<t:EmailAddress>{escape(address)}</t:EmailAddress>"
        "<t:RoutingType>SMTP</t:RoutingType></t:RecipientAddress>"
        "<t:PendingMailTips/>"
        "<t:MailboxFull>false</t:MailboxFull>"
        f"<t:TotalMemberCount>{member_count}</t:TotalMemberCount>"
        f"<t:ExternalMemberCount>{external}</t:ExternalMemberCount>"
        "<t:MaxMessageSize>36700160</t:MaxMessageSize>"
        "<t:DeliveryRestricted>false</t:DeliveryRestricted>"
        "<t:IsModerated>false</t:IsModerated>"
        f"<t:InvalidRecipient>{str(invalid).lower()}</t:InvalidRecipient>"
    )
    return success(f"<m:MailTips>{tips}</m:MailTips>")


def folder_xml(folder_id: str, name: str, total: int) -> str:
    return (
        "<t:Folder>"
        f'<t:FolderId Id={quoteattr(folder_id)} ChangeKey="AQAAABYAAAA="/>'
        '<t:ParentFolderId Id="root" ChangeKey="AQAAAA=="/>'
        "<t:FolderClass>IPF.Note</t:FolderClass>"
        f"<t:DisplayName>{escape(name)}</t:DisplayName>"
        f"<t:TotalCount>{total}</t:TotalCount>"
        "<t:ChildFolderCount>0</t:ChildFolderCount>"
        "<t:UnreadCount>0</t:UnreadCount>"
        "</t:Folder>"
    )


def _time(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def message_xml(item: StoredItem, *, mime: bool) -> str:
    received = _time(item.received)
    return (
        "<t:Message>"
        + (
            f'<t:MimeContent CharacterSet="UTF-8">{base64.b64encode(item.mime).decode("ascii")}'
            "</t:MimeContent>"
            if mime
            else ""
        )
        + f'<t:ItemId Id={quoteattr(item.item_id)} ChangeKey="CQAAABYAAAA="/>'
        f"<t:Subject>{escape(item.subject)}</t:Subject>"
        + (f"<t:DateTimeReceived>{received}</t:DateTimeReceived>" if received else "")
        + "".join(
            f"<t:{tag}><t:Mailbox>"
            f"<t:EmailAddress>{escape(item.sender)}</t:EmailAddress>"
            "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>OneOff</t:MailboxType>"
            f"</t:Mailbox></t:{tag}>"
            for tag in ("Sender", "From")
        )
        + "</t:Message>"
    )


def find_item_page(items: list[StoredItem], offset: int, total: int) -> str:
    last = "true" if offset + len(items) >= total else "false"
    return success(
        f'<m:RootFolder IndexedPagingOffset="{offset + len(items)}" '
        f'TotalItemsInView="{total}" IncludesLastItemInRange="{last}">'
        "<t:Items>" + "".join(message_xml(item, mime=False) for item in items) + "</t:Items>"
        "</m:RootFolder>"
    )
