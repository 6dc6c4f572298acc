"""Write the bundled example (``resources/examples``): a demo CA, three certificates, one e-mail.

Run ``python -m tests.factories.make_examples`` from the checkout to make them anew.
Only certificates are written; the private keys are thrown away.
"""

import datetime as dt
from pathlib import Path

from tests.factories.certs import TestCA

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

REPLY_ALL_EML = """\
From: Dana Whitfield <dana@partner.example>
To: Alex Morgan <you@clinic.example>
Cc: "Lee, Dr. Jordan" <lee@clinic.example>, Sam Rivera <sam@clinic.example>
Subject: Referral results for our shared patient
Date: Fri, 27 Nov 2026 08:15:00 +0000
Message-ID: <referral-4711@partner.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please see the attached results and let us know the next steps.
"""


def main() -> None:
    ca = TestCA("smime-guard Demo CA", not_before=START, not_after=START + dt.timedelta(days=7300))
    valid_until = START + dt.timedelta(days=3650)
    certs = EXAMPLES / "certs"
    certs.mkdir(parents=True, exist_ok=True)
    (EXAMPLES / "demo-ca.pem").write_bytes(ca.pem)
    (certs / "you.pem").write_bytes(
        ca.issue(
            ["you@clinic.example"],
            common_name="Alex Morgan",
            not_before=START,
            not_after=valid_until,
        ).pem
    )
    (certs / "lee.pem").write_bytes(
        ca.issue(
            ["lee@clinic.example"],
            common_name="Dr. Jordan Lee",
            key_kind="p256",
            not_before=START,
            not_after=valid_until,
        ).pem
    )
    (certs / "sam-rivera-expired.pem").write_bytes(
        ca.issue(
            ["sam@clinic.example"],
            common_name="Sam Rivera",
            slot=1,
            not_before=START - dt.timedelta(days=400),
            not_after=START - dt.timedelta(days=35),
        ).pem
    )
    (EXAMPLES / "reply-all.eml").write_bytes(REPLY_ALL_EML.replace("\n", "\r\n").encode())


if __name__ == "__main__":
    main()
