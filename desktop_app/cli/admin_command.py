"""``smime-guard admin bundle build``: sign an Exchange Online certificate export into a bundle."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop_app.cli.exit_codes import EXIT_OK

EPILOG = "Exit status: 0 written, 2 bad input (nothing written)."


def add_admin_commands(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = subcommands.add_parser("admin", help="tools for the practice's administrator")
    areas = admin.add_subparsers(dest="admin_area", required=True, metavar="AREA")
    bundle = areas.add_parser("bundle", help="the signed certificate bundle clients fetch")
    actions = bundle.add_subparsers(dest="bundle_command", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build", help="turn an export (JSON) into a signed bundle (CMS SignedData)", epilog=EPILOG
    )
    build.add_argument("--from", dest="export", required=True, metavar="EXPORT.json")
    build.add_argument("--sign", required=True, metavar="ADMIN.p12")
    build.add_argument("--password-env", metavar="VAR", help="the .p12 password's variable")
    build.add_argument("--out", required=True, metavar="BUNDLE.p7m")


def run_admin(arguments: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    from desktop_app.core.bundles.manifest import BundleError, read_export
    from desktop_app.core.bundles.signing import sign_bundle
    from desktop_app.core.messages import text
    from desktop_app.services.certificates.config import DirectoryConfigError
    from desktop_app.services.clock import utc_now
    from desktop_app.services.files import read_input_file

    export = Path(arguments.export)
    read = read_export(read_input_file(export), where=str(export))
    password: bytes | None = None
    if arguments.password_env:
        value = os.environ.get(arguments.password_env)
        if value is None:
            raise DirectoryConfigError(
                text("directory.password_env_missing", variable=arguments.password_env)
            )
        password = value.encode()
    p12 = Path(arguments.sign)
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(read_input_file(p12), password)
    except (ValueError, TypeError) as error:
        raise BundleError(text("bundle.bad_p12", path=p12, reason=error)) from None
    if certificate is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise BundleError(
            text("bundle.bad_p12", path=p12, reason="no RSA or EC key with a certificate")
        )
    for reason in read.skipped:
        print(reason, file=sys.stderr)
    data = sign_bundle(read.manifest, certificate, key, chain=tuple(chain), at=utc_now())
    out = Path(arguments.out)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)
    print(
        text(
            "bundle.built",
            path=out,
            count=len(read.manifest.entries),
            exported=read.manifest.exported.isoformat(),
        )
    )
    return EXIT_OK
