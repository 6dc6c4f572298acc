"""Reading attachments' text for the PHI check: each kind, and what cannot be read."""

import io
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.phi.detect import PhiRules
from desktop_app.core.phi.message_scan import scan_message
from desktop_app.services import attachment_text as reading
from desktop_app.services.attachment_text import attachment_text, file_text
from tests.factories.pdf import make_pdf


def _docx(paragraphs: list[list[str]]) -> bytes:
    runs = "".join(
        "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in p) + "</w:p>"
        for p in paragraphs
    )
    document = (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{runs}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        archive.writestr("word/footer1.xml", document.replace("DOB", "Ref"))
    return out.getvalue()


def test_text_and_csv_are_read() -> None:
    assert attachment_text("a.txt", b"DOB: 04/12/1961").text == "DOB: 04/12/1961"
    latin = attachment_text("b.CSV", "name;né le\nx;DOB 1/2/1961".encode("cp1252"))
    assert latin.text is not None and "né" in latin.text


def test_docx_runs_are_joined_within_a_paragraph() -> None:
    read = attachment_text(
        "letter.docx", _docx([["Patient ", "DOB 04/", "12/1961"], ["Hi &amp; bye"]])
    )
    assert read.complete and read.text is not None
    assert "DOB 04/12/1961" in read.text and "Hi & bye" in read.text
    report = scan_message("", "", [read], PhiRules())
    assert [f.where for f in report.findings] == ["attachment:letter.docx"]


def test_pdf_text_is_extracted() -> None:
    pdf = make_pdf([["Referral letter"], ["Patient DOB: 04/12/1961", "SSN 123-45-6789"]])
    read = attachment_text("referral.pdf", pdf)
    assert read.text is not None and read.complete
    kinds = {f.kind for f in scan_message("", "", [read], PhiRules()).findings}
    assert kinds == {"dob", "ssn"}


def test_unreadable_or_unknown_attachments_are_not_checked() -> None:
    for name, data in [
        ("broken.pdf", b"%PDF-1.4 nonsense"),
        ("broken.docx", b"PK\x03\x04 not a zip"),
        ("scan.jpg", b"\xff\xd8\xff"),
    ]:
        read = attachment_text(name, data)
        assert read.text is None
        report = scan_message("", "", [read], PhiRules())
        assert report.unchecked == (name,) and not report.clean


def test_too_many_pages_is_partly_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_PDF_PAGES", 2)
    read = attachment_text("long.pdf", make_pdf([["a"], ["b"], ["DOB 1/2/1961"]]))
    assert not read.complete
    report = scan_message("", "", [read], PhiRules())
    assert report.unchecked == ("long.pdf",) and report.findings == ()


def test_a_missing_file_is_not_checked(tmp_path: Path) -> None:
    assert file_text(tmp_path / "gone.txt").text is None
    (tmp_path / "ok.txt").write_text("fine", encoding="utf-8")
    assert file_text(tmp_path / "ok.txt").text == "fine"
