"""The text of attachments, for the PHI check: .txt, .csv, .docx (its XML) and .pdf (pypdf).

Every reading is bounded: bytes read, bytes unpacked from a .docx, pages and characters
of a PDF. What cannot be read, or not completely within the bounds, comes back as not
(fully) checked; the core scan reports it so, never as clean.
"""

import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Final
from xml.sax.saxutils import unescape

from desktop_app.core.phi.message_scan import AttachmentText

log = logging.getLogger(__name__)

MAX_TEXT_FILE_BYTES: Final = 8_000_000
MAX_DOCX_XML_BYTES: Final = 32_000_000  # unpacked, per part: a zip bomb stops here
MAX_PDF_BYTES: Final = 64_000_000
MAX_PDF_PAGES: Final = 300  # about 1 s of pypdf extraction for text-heavy pages
MAX_CHARS: Final = 8_000_000
TEXT_SUFFIXES: Final = frozenset({".txt", ".csv", ".tsv", ".text", ".log"})
# The document and the parts staff put details in: headers, footers, notes, comments.
_DOCX_PARTS: Final = re.compile(
    r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
)
_DOCX_RUN: Final = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:tab/>|</w:p>|<w:br/>")


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _docx_text(data: bytes) -> tuple[str, bool]:
    """The text of a .docx's parts, runs of a paragraph joined; and whether all was read."""
    pieces: list[str] = []
    complete = True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not _DOCX_PARTS.fullmatch(info.filename):
                continue
            if info.file_size > MAX_DOCX_XML_BYTES:
                complete = False
                continue
            with archive.open(info) as part:
                xml = part.read(MAX_DOCX_XML_BYTES + 1)
            if len(xml) > MAX_DOCX_XML_BYTES:
                complete = False
                continue
            for match in _DOCX_RUN.finditer(xml):
                run = match.group(1)
                if run is not None:
                    pieces.append(unescape(run.decode("utf-8", errors="replace")))
                else:
                    pieces.append("\t" if match.group(0) == b"<w:tab/>" else "\n")
            pieces.append("\n")
    return "".join(pieces), complete


def _pdf_text(data: bytes) -> tuple[str, bool]:
    """The text pypdf extracts from the first pages, and whether all pages were read."""
    from pypdf import PdfReader  # only when a PDF is attached: it takes a while to import

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("encrypted PDF")
    pages = reader.pages
    count = len(pages)
    pieces: list[str] = []
    total = 0
    for number in range(min(count, MAX_PDF_PAGES)):
        page_text = pages[number].extract_text() or ""
        pieces.append(page_text)
        total += len(page_text)
        if total > MAX_CHARS:
            return "\n".join(pieces), False
    return "\n".join(pieces), count <= MAX_PDF_PAGES


def attachment_text(name: str, data: bytes) -> AttachmentText:
    """The text of the attachment called ``name`` with content ``data``."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            if len(data) > MAX_TEXT_FILE_BYTES:
                return AttachmentText(name, _decoded(data[:MAX_TEXT_FILE_BYTES]), complete=False)
            return AttachmentText(name, _decoded(data))
        if suffix == ".docx":
            docx, complete = _docx_text(data)
            return AttachmentText(name, docx, complete)
        if suffix == ".pdf":
            if len(data) > MAX_PDF_BYTES:
                return AttachmentText(name, None)
            pdf, complete = _pdf_text(data)
            return AttachmentText(name, pdf, complete)
    # A damaged file can make pypdf or zipfile raise almost anything (PdfReadError,
    # KeyError, zlib.error, RecursionError...): whatever it is, the file is not checked.
    except Exception as error:
        log.info("attachment text not read: %s", type(error).__name__)
        return AttachmentText(name, None)
    return AttachmentText(name, None)  # a type whose text we cannot read


def file_text(path: Path) -> AttachmentText:
    """The text of the file at ``path`` (read whole up to the PDF bound; else not checked)."""
    try:
        with path.open("rb") as opened:
            data = opened.read(MAX_PDF_BYTES + 1)
    except OSError as error:
        log.info("attachment not read for the PHI check: %s", type(error).__name__)
        return AttachmentText(path.name, None)
    if len(data) > MAX_PDF_BYTES:
        return AttachmentText(path.name, None)
    return attachment_text(path.name, data)
