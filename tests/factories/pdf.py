"""Minimal PDFs with real text (Helvetica), for the PHI check's tests and benchmark."""

import os


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, padding_bytes: int = 0) -> bytes:
    """A PDF whose pages show these lines; ``padding_bytes`` of random data ride along in
    an image on the first page (a scanned letterhead, say), making the file large."""
    page_ids = []
    font_id = 3
    next_id = 4
    image_id = None
    if padding_bytes:
        image_id = next_id
        next_id += 1
    content_ids = []
    for _ in pages:
        page_ids.append(next_id)
        content_ids.append(next_id + 1)
        next_id += 2
    bodies: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(f"{p} 0 R".encode() for p in page_ids)
        + f"] /Count {len(page_ids)} >>".encode(),
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    if image_id is not None:
        data = os.urandom(padding_bytes)
        side = int((padding_bytes // 3) ** 0.5)
        head = (
            f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length {len(data)} >>\nstream\n"
        ).encode()
        bodies[image_id] = head + data + b"\nendstream"
    for index, lines in enumerate(pages):
        ops = ["BT /F1 10 Tf 50 780 Td 12 TL"] + [f"({_escape(line)}) '" for line in lines]
        ops.append("ET")
        if image_id is not None and index == 0:
            ops.append("q 100 0 0 100 400 50 cm /Im1 Do Q")
        stream = "\n".join(ops).encode("latin-1")
        resources = f"/Font << /F1 {font_id} 0 R >>"
        if image_id is not None:
            resources += f" /XObject << /Im1 {image_id} 0 R >>"
        bodies[page_ids[index]] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << {resources} >> /Contents {content_ids[index]} 0 R >>"
        ).encode()
        bodies[content_ids[index]] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + bodies[number] + b"\nendobj\n"
    xref = len(out)
    count = max(bodies) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
