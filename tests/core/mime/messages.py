"""Received messages written out by hand, the way their senders format them."""

from __future__ import annotations

import base64

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
SIGNATURE = b"0\x82\x01\x00 not really DER but opaque to the MIME layer"


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")


def crlf(text: str) -> bytes:
    """Text written with \\n in the source, sent with CRLF."""
    return text.replace("\n", "\r\n").encode("latin-1")


# Outlook: multipart/signed around multipart/mixed around multipart/alternative (and a
# multipart/related with an inline picture), windows-1252 quoted-printable text, the file
# name only in Content-Type's name, RFC 2047-encoded there, octet-stream for a PDF.
OUTLOOK_SIGNED = crlf(
    "From: =?iso-8859-1?Q?Dr=2E_J=FCrgen_M=FCller?= <juergen@clinic.example>\n"
    "To: Ann <ann@clinic.example>\n"
    "Cc: bob@clinic.example\n"
    "Subject: =?utf-8?B?QmVmdW5kIGbDvHIgRnJhdQ==?= =?utf-8?B?IE3DvGxsZXI=?=\n"
    "Date: Tue, 2 Jun 2026 09:15:00 +0200\n"
    "Message-ID: <DB9PR01MB1234@outlook.example>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/signed; protocol="application/x-pkcs7-signature";\n'
    '\tmicalg=SHA1; boundary="----=_NextPart_000_0001_01DA0000.00000000"\n'
    "\n"
    "This is a multipart message in MIME format.\n"
    "\n"
    "------=_NextPart_000_0001_01DA0000.00000000\n"
    "Content-Type: multipart/mixed;\n"
    '\tboundary="----=_NextPart_001_0002_01DA0000.00000000"\n'
    "\n"
    "\n"
    "------=_NextPart_001_0002_01DA0000.00000000\n"
    "Content-Type: multipart/related;\n"
    '\tboundary="----=_NextPart_002_0003_01DA0000.00000000"\n'
    "\n"
    "\n"
    "------=_NextPart_002_0003_01DA0000.00000000\n"
    "Content-Type: multipart/alternative;\n"
    '\tboundary="----=_NextPart_003_0004_01DA0000.00000000"\n'
    "\n"
    "\n"
    "------=_NextPart_003_0004_01DA0000.00000000\n"
    'Content-Type: text/plain;\n\tcharset="windows-1252"\n'
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Sehr geehrte Frau M=FCller,=20\n"
    "anbei der Befund =96 mit =93Anh=E4ngen=94.\n"
    "\n"
    "------=_NextPart_003_0004_01DA0000.00000000\n"
    'Content-Type: text/html;\n\tcharset="windows-1252"\n'
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    '<html><body><p>Sehr geehrte Frau M=FCller,</p><img src=3D"cid:image001.png@01DA">=\n'
    "</body></html>\n"
    "\n"
    "------=_NextPart_003_0004_01DA0000.00000000--\n"
    "\n"
    "------=_NextPart_002_0003_01DA0000.00000000\n"
    "Content-Type: image/png;\n"
    '\tname="image001.png"\n'
    "Content-Transfer-Encoding: base64\n"
    "Content-ID: <image001.png@01DA>\n"
    "\n" + b64(PNG).replace("\r\n", "\n") + "\n"
    "------=_NextPart_002_0003_01DA0000.00000000--\n"
    "\n"
    "------=_NextPart_001_0002_01DA0000.00000000\n"
    "Content-Type: application/octet-stream;\n"
    '\tname="=?utf-8?B?QmVmdW5kX03DvGxsZXJfMjAyNi5wZGY=?="\n'
    "Content-Transfer-Encoding: base64\n"
    "\n" + b64(PDF).replace("\r\n", "\n") + "\n"
    "------=_NextPart_001_0002_01DA0000.00000000\n"
    "Content-Type: application/octet-stream;\n"
    '\tname="Laborwerte.xlsx"\n'
    "Content-Transfer-Encoding: base64\n"
    "\n" + b64(b"PK\x03\x04 spreadsheet").replace("\r\n", "\n") + "\n"
    "------=_NextPart_001_0002_01DA0000.00000000--\n"
    "\n"
    "------=_NextPart_000_0001_01DA0000.00000000\n"
    'Content-Type: application/x-pkcs7-signature;\n\tname="smime.p7s"\n'
    "Content-Transfer-Encoding: base64\n"
    'Content-Disposition: attachment;\n\tfilename="smime.p7s"\n'
    "\n" + b64(SIGNATURE).replace("\r\n", "\n") + "\n"
    "------=_NextPart_000_0001_01DA0000.00000000--\n"
)

OUTLOOK_SIGNED_CONTENT_START = b"Content-Type: multipart/mixed;\r\n"
