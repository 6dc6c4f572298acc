"""The EWS operations the test server answers, each from a parsed request to a SOAP body."""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from xml.etree import ElementTree

from tests.ews_server import responses as r
from tests.ews_server.model import DirectoryEntry, ReceivedMessage, ServerState, StoredItem

M = "{" + r.MESSAGES_NS + "}"
T = "{" + r.TYPES_NS + "}"

# Folder ids are the distinguished names, so FolderId and DistinguishedFolderId agree.
FOLDER_NAMES = {
    "root": "root",
    "msgfolderroot": "Top of Information Store",
    "inbox": "Inbox",
    "sentitems": "Sent Items",
    "drafts": "Drafts",
}

Reply = tuple[int, bytes]
_item_numbers = itertools.count(1)


def _folder_id(parent: ElementTree.Element | None) -> str | None:
    if parent is None:
        return None
    for child in parent:
        if child.tag in (T + "DistinguishedFolderId", T + "FolderId"):
            return child.get("Id")
    return None


def convert_id(state: ServerState, request: ElementTree.Element) -> Reply:
    # exchangelib's version probe converts the id "DUMMY"; Exchange says it is malformed,
    # and the ServerVersionInfo header is what the client wanted.
    del state, request
    message = r.error("ErrorInvalidIdMalformed", "Id is malformed.")
    return 200, r.operation_response("ConvertId", [message])


def resolve_names(state: ServerState, request: ElementTree.Element) -> Reply:
    full = request.get("ReturnFullContactData", "false").lower() == "true"
    shape = request.get("ContactDataShape")
    entries = [e.text or "" for e in request.findall(M + "UnresolvedEntry")]
    messages = []
    for name in entries:
        found = state.find(name)
        if not found:
            messages.append(r.error("ErrorNameResolutionNoResults", "No results were found."))
        elif len(found) > 1:
            messages.append(
                r.error(
                    "ErrorNameResolutionMultipleResults",
                    "Multiple results were found.",
                    "Warning",
                    r.resolution_set(found, full, shape),
                )
            )
        else:
            messages.append(r.success(r.resolution_set(found, full, shape)))
    return 200, r.operation_response("ResolveNames", messages)


def _member(state: ServerState, address: str) -> DirectoryEntry:
    found = state.find(address)
    if found:
        return found[0]
    return DirectoryEntry(address, address, mailbox_type="OneOff")


def expand_dl(state: ServerState, request: ElementTree.Element) -> Reply:
    address = request.findtext(f"{M}Mailbox/{T}EmailAddress") or ""
    found = state.find(address)
    if not found or found[0].mailbox_type != "PublicDL":
        message = r.error("ErrorNameResolutionNoResults", "No results were found.")
    else:
        members = [_member(state, member) for member in found[0].members]
        message = r.success(r.dl_expansion(members))
    return 200, r.operation_response("ExpandDL", [message])


def _flattened(state: ServerState, entry: DirectoryEntry, seen: set[str]) -> list[DirectoryEntry]:
    members: list[DirectoryEntry] = []
    for address in entry.members:
        member = _member(state, address)
        if member.mailbox_type == "PublicDL":
            if member.address.lower() not in seen:
                seen.add(member.address.lower())
                members += _flattened(state, member, seen)
        else:
            members.append(member)
    return members


def get_mail_tips(state: ServerState, request: ElementTree.Element) -> Reply:
    requested = request.find(M + "MailTipsRequested")
    if (request.text or "").strip() or requested is None:
        # What exchangelib 5.6's own GetMailTips sends: the tip types as bare text.
        violation = (
            "The element 'GetMailTips' in namespace '" + r.MESSAGES_NS + "' has incomplete "
            "content. List of possible elements expected: 'MailTipsRequested'."
        )
        return 500, r.schema_violation(violation)
    messages = []
    for mailbox in request.findall(f"{M}Recipients/{T}Mailbox"):
        address = mailbox.findtext(T + "EmailAddress") or ""
        found = state.find(address)
        entry = found[0] if found else None
        count, external = 1, 0  # ExternalMemberCount is about members of a group
        if entry is not None and entry.mailbox_type == "PublicDL":
            members = _flattened(state, entry, {entry.address.lower()})
            count = len(members)
            external = sum(member.mailbox_type == "OneOff" for member in members)
        # An address of the organisation's own domain that the directory does not know
        # would bounce: Exchange calls it an invalid recipient.
        own_domain = state.owner.rpartition("@")[2].lower()
        invalid = entry is None and address.rpartition("@")[2].lower() == own_domain
        messages.append(r.mail_tips(address, invalid, count, external))
    body = r.operation_response("GetMailTips", messages, "MailTipsResponseMessageType")
    return 200, body


def get_folder(state: ServerState, request: ElementTree.Element) -> Reply:
    messages = []
    for child in request.find(M + "FolderIds") or []:
        folder = child.get("Id") or ""
        if folder not in FOLDER_NAMES:
            messages.append(
                r.error("ErrorFolderNotFound", "The specified folder could not be found.")
            )
            continue
        total = len(state.folder_items(folder))
        folder_xml = r.folder_xml(folder, FOLDER_NAMES[folder], total)
        messages.append(r.success(f"<m:Folders>{folder_xml}</m:Folders>"))
    return 200, r.operation_response("GetFolder", messages)


def _received_order(item: StoredItem) -> float:
    return item.received.timestamp() if item.received is not None else 0.0


def _message_id_wanted(restriction: ElementTree.Element) -> str | None:
    """The Message-ID an IsEqualTo on message:InternetMessageId asks for (what the
    product's "already sent?" check sends); None for any other restriction."""
    equal = restriction.find(T + "IsEqualTo")
    field = equal.find(T + "FieldURI") if equal is not None else None
    constant = equal.find(f"{T}FieldURIOrConstant/{T}Constant") if equal is not None else None
    if field is None or field.get("FieldURI") != "message:InternetMessageId" or constant is None:
        return None
    return constant.get("Value")


def _message_id(item: StoredItem) -> str | None:
    headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(item.mime)
    value = headers.get("Message-ID")
    return str(value).strip() if value else None


def find_item(state: ServerState, request: ElementTree.Element) -> Reply:
    folder = _folder_id(request.find(M + "ParentFolderIds")) or ""
    view = request.find(M + "IndexedPageItemView")
    offset = int(view.get("Offset", "0")) if view is not None else 0
    limit = int(view.get("MaxEntriesReturned", "100")) if view is not None else 100
    items = sorted(state.folder_items(folder), key=_received_order)
    restriction = request.find(M + "Restriction")
    if restriction is not None:
        wanted = _message_id_wanted(restriction)
        if wanted is None:
            return 500, r.soap_fault("ErrorInvalidRestriction", "Only message IDs are searched.")
        items = [item for item in items if _message_id(item) == wanted]
    order = request.find(f"{M}SortOrder/{T}FieldOrder")
    if order is None or order.get("Order") == "Descending":
        items.reverse()  # the newest first, as Outlook lists them
    page = items[offset : offset + limit]
    return 200, r.operation_response("FindItem", [r.find_item_page(page, offset, len(items))])


def get_item(state: ServerState, request: ElementTree.Element) -> Reply:
    shape = request.find(M + "ItemShape")
    uris = (
        {uri.get("FieldURI") for uri in shape.iter(T + "FieldURI")} if shape is not None else set()
    )
    with_mime = "item:MimeContent" in uris
    messages = []
    for item_id in request.iter(T + "ItemId"):
        item = state.item(item_id.get("Id") or "")
        if item is None:
            messages.append(
                r.error("ErrorItemNotFound", "The specified object was not found in the store.")
            )
        else:
            messages.append(r.success(f"<m:Items>{r.message_xml(item, mime=with_mime)}</m:Items>"))
    return 200, r.operation_response("GetItem", messages)


def create_item(state: ServerState, request: ElementTree.Element) -> Reply:
    disposition = request.get("MessageDisposition", "")
    saved = _folder_id(request.find(M + "SavedItemFolderId"))
    messages = []
    for message in request.iterfind(f"{M}Items/{T}Message"):
        try:
            mime = base64.b64decode(message.findtext(T + "MimeContent") or "", validate=True)
        except binascii.Error:
            messages.append(
                r.error("ErrorMimeContentConversionFailed", "The MIME content is invalid.")
            )
            continue
        state.receive(ReceivedMessage(mime, disposition, saved))
        if disposition == "SendAndSaveCopy":
            state.deliver(
                StoredItem(
                    f"sent-{next(_item_numbers)}",
                    saved or "sentitems",
                    mime,
                    received=datetime.now(UTC),
                )
            )
        messages.append(r.success("<m:Items/>"))
    return 200, r.operation_response("CreateItem", messages)


OPERATIONS: dict[str, Callable[[ServerState, ElementTree.Element], Reply]] = {
    "ConvertId": convert_id,
    "ResolveNames": resolve_names,
    "ExpandDL": expand_dl,
    "GetMailTips": get_mail_tips,
    "GetFolder": get_folder,
    "FindItem": find_item,
    "GetItem": get_item,
    "CreateItem": create_item,
}
