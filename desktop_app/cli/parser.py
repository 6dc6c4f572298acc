"""The command-line grammar of ``smime-guard``.

Only argparse is imported here: the window must paint before any certificate, CMS or
keyring code loads, and each command imports what it needs when it runs.
"""

import argparse

from desktop_app import __version__
from desktop_app.cli.account_grammar import add_account_commands  # standard library only
from desktop_app.cli.admin_command import add_admin_commands  # standard library only
from desktop_app.cli.audit_command import add_audit_commands  # standard library only
from desktop_app.cli.directory_command import add_directory_commands  # standard library only
from desktop_app.cli.exchange_command import add_exchange_commands  # standard library only

OFFLINE_HELP = (
    "do not ask the Exchange directory or CRL and OCSP servers; use the certificates the "
    "store holds (including directory certificates cached earlier) and the CRLs at hand"
)
EPILOG = (
    "Exit status: 0 = the message would be encrypted, 3 = it would not be encrypted, "
    "2 = bad input or usage."
)


def _add_certs_commands(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    certs = subcommands.add_parser(
        "certs", help="manage recipient certificates, trust anchors and CRLs"
    )
    actions = certs.add_subparsers(dest="certs_command", required=True, metavar="ACTION")
    import_parser = actions.add_parser(
        "import", help="store recipient certificates (PEM, DER, .p7b/.p7c, certificates of a .p12)"
    )
    import_parser.add_argument("files", nargs="+", metavar="FILE")
    import_parser.add_argument(
        "--password-env", metavar="VAR", help="environment variable holding a PKCS#12 password"
    )
    list_parser = actions.add_parser("list", help="list stored recipient certificates")
    list_parser.add_argument("--json", action="store_true", help="print JSON")
    trust_parser = actions.add_parser(
        "trust", help="add the CA certificate(s) in CAFILE as trust anchors"
    )
    trust_parser.add_argument("ca_file", metavar="CAFILE")
    crl_parser = actions.add_parser("crl", help="import a certificate revocation list")
    crl_parser.add_argument("crl_file", metavar="CRLFILE")


def _add_recipient_options(parser: argparse.ArgumentParser) -> None:
    """``--to``, ``--cc`` and ``--bcc``, each repeatable (``check`` and ``seal``)."""
    for field in ("to", "cc", "bcc"):
        parser.add_argument(
            f"--{field}",
            action="append",
            default=[],
            metavar="LIST",
            help=f"{field.title()} recipients, comma separated (repeatable)",
        )


def _add_check_command(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = subcommands.add_parser(
        "check",
        help="say whether a message to these recipients can be encrypted, and why not",
        epilog=EPILOG,
    )
    check.add_argument("--from", dest="sender", metavar="ADDR", help="your own address")
    _add_recipient_options(check)
    original = check.add_mutually_exclusive_group()
    original.add_argument("--reply", metavar="EML", help="reply to this message")
    original.add_argument(
        "--reply-all", metavar="EML", help="reply to all recipients of this message"
    )
    original.add_argument("--forward", metavar="EML", help="forward this message")
    check.add_argument(
        "--at",
        metavar="ISO8601",
        help="judge certificates at this time instead of now (UTC if no offset is given)",
    )
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--offline", action="store_true", help=OFFLINE_HELP)
    check.add_argument("--subject", metavar="TEXT", help="check the Subject for patient details")
    check.add_argument(
        "--body-file", metavar="F", help="check this UTF-8 text (the body) for patient details"
    )
    check.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="FILE",
        help="check this attachment for patient details (repeatable)",
    )
    check.add_argument(
        "--phi-strict",
        action="store_true",
        help=(
            "exit 3 when patient details would travel unencrypted: any finding on an "
            "unencrypted message, a Subject finding when headers are not protected"
        ),
    )


def _add_identity_commands(
    subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> None:
    """The ``identity`` grammar, for ``build_parser``."""
    identity = subcommands.add_parser(
        "identity", help="your own certificate and private key (for signing and decrypting)"
    )
    actions = identity.add_subparsers(dest="identity_command", required=True, metavar="ACTION")
    import_parser = actions.add_parser(
        "import",
        help=(
            "store your certificate and private key from a .p12/.pfx file; the key is kept "
            "encrypted, its passphrase in the system keyring"
        ),
    )
    import_parser.add_argument("file", metavar="FILE.p12")
    import_parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the PKCS#12 password (else you are asked)",
    )
    show_parser = actions.add_parser("show", help="show your stored certificate (never the key)")
    show_parser.add_argument("--json", action="store_true", help="print JSON")
    actions.add_parser("remove", help="delete your stored identity and its keyring entry")


def _add_smime_commands(subcommands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    seal = subcommands.add_parser(
        "seal",
        help="sign and encrypt for every recipient (writes nothing if anyone is not covered)",
        epilog="Exit status: 0 sealed, 3 not every recipient can read encrypted mail, 2 bad input.",
    )
    seal.add_argument("--from", dest="sender", metavar="ADDR", required=True, help="your address")
    _add_recipient_options(seal)
    seal.add_argument(
        "--subject", required=True, help="the Subject line (encrypted only with protect_headers)"
    )
    seal.add_argument("--body-file", required=True, metavar="FILE", help="UTF-8 text of the body")
    seal.add_argument("--attach", action="append", default=[], metavar="FILE", help="attach a file")
    seal.add_argument("--no-sign", action="store_true", help="encrypt without signing")
    seal.add_argument("--offline", action="store_true", help=OFFLINE_HELP)
    seal.add_argument("--at", metavar="ISO8601", help="judge certificates at this time")
    seal.add_argument(
        "--out-dir",
        required=True,
        metavar="DIR",
        help="folder for the .eml files, one per envelope",
    )
    opener = subcommands.add_parser(
        "open",
        help="decrypt and verify a message",
        epilog="Exit status: 0 opened, 3 opened but the signature is not valid, 2 not opened.",
    )
    opener.add_argument("file", metavar="FILE.eml")
    opener.add_argument(
        "--harvest",
        action="store_true",
        help="store the signer's certificate when the signature is valid and is From's",
    )
    opener.add_argument("--json", action="store_true", help="print one JSON object")
    lint = subcommands.add_parser(
        "lint",
        help="report interoperability faults of an S/MIME message",
        epilog="Exit status: 0 clean, 3 findings, 2 unreadable.",
    )
    lint.add_argument("file", metavar="FILE.eml")
    lint.add_argument("--json", action="store_true", help="print one JSON object")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smime-guard",
        description=(
            "Check, before Send, that every recipient can read an S/MIME encrypted message."
        ),
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help=(
            "folder of the certificate store "
            "(default: $SMIME_GUARD_HOME, else the user data folder)"
        ),
    )
    parser.add_argument("--verbose", action="store_true", help="also log to stderr")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on a demo mailbox and certificates (built in --home on first run)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=(
            "check this installed copy (Qt, bundled resources, sealing and opening, the "
            "system keyring, the policy files), one line each; exit 0 only if all pass"
        ),
    )
    parser.add_argument(
        "--measure-startup",
        action="store_true",
        help="open the window, print first_paint_ms: N once it has painted, and exit",
    )
    # Without a command the window opens.
    subcommands = parser.add_subparsers(dest="command", required=False, metavar="COMMAND")
    _add_certs_commands(subcommands)
    _add_check_command(subcommands)
    _add_identity_commands(subcommands)
    _add_smime_commands(subcommands)
    add_exchange_commands(subcommands)
    add_directory_commands(subcommands)
    add_admin_commands(subcommands)
    add_account_commands(subcommands)
    add_audit_commands(subcommands)
    subcommands.add_parser(
        "train",
        help=(
            "practise S/MIME decisions on realistic scenarios in a sandbox (nothing is sent); "
            "your own scenarios go in the home folder's training/ folder"
        ),
    )
    return parser
