"""``smime-guard directory``: LDAP directories and admin bundles as certificate sources."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli.exit_codes import EXIT_OK

if TYPE_CHECKING:
    from desktop_app.services.certificates.config import SourceConfig
    from desktop_app.services.mail_access import MailAccess

# Only the standard library at the top: the parser imports this module on every start.

EPILOG = "Exit status: 0 done, 2 bad input, or a directory that cannot be used (with why)."


def add_directory_commands(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    directory = subcommands.add_parser(
        "directory",
        help="set up LDAP directories and admin certificate bundles, and look addresses up",
        epilog=EPILOG,
    )
    actions = directory.add_subparsers(dest="directory_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="prove a source once, then keep it", epilog=EPILOG)
    kinds = add.add_subparsers(dest="kind", required=True, metavar="KIND")
    ldap = kinds.add_parser("ldap", help="an LDAP directory (Active Directory, OpenLDAP)")
    ldap.add_argument("--url", required=True, help="ldaps://host or ldap://host (StartTLS)")
    ldap.add_argument("--base-dn", required=True)
    ldap.add_argument("--bind-dn", help="simple bind as this DN (anonymous without)")
    ldap.add_argument("--password-env", metavar="VAR", help="the bind password's variable")
    ldap.add_argument("--kerberos", action="store_true", help="SASL GSSAPI (needs gssapi)")
    bundle = kinds.add_parser("bundle", help="a certificate bundle your administrator signs")
    where = bundle.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="https:// address of the bundle")
    where.add_argument("--path", help="a file path of the bundle")
    bundle.add_argument("--signer", required=True, metavar="ADMIN_CERT.pem")
    for parser in (ldap, bundle):
        parser.add_argument("--name", help="a short name (default: derived from the address)")
        parser.add_argument("--ca-file", metavar="PEM", help="trust this CA for TLS")
    list_parser = actions.add_parser("list", help="the sources set up, administrator's first")
    list_parser.add_argument("--json", action="store_true")
    remove = actions.add_parser("remove", help="forget a source and its keyring entry")
    remove.add_argument("name", metavar="NAME")
    test = actions.add_parser("test", help="ask a source now", epilog=EPILOG)
    test.add_argument("name", metavar="NAME")
    test.add_argument("--json", action="store_true")
    lookup = actions.add_parser("lookup", help="what every source says of addresses")
    lookup.add_argument("addresses", nargs="+", metavar="ADDR")
    lookup.add_argument("--at", metavar="ISO8601", help="judge certificates for this time")
    lookup.add_argument("--offline", action="store_true", help="only what is cached")
    lookup.add_argument("--json", action="store_true")
    pin = actions.add_parser("pin", help="use this certificate for an address while usable")
    pin.add_argument("address", metavar="ADDR")
    pin.add_argument("fingerprint", metavar="SHA256")
    unpin = actions.add_parser("unpin", help="let the newest valid certificate be used again")
    unpin.add_argument("address", metavar="ADDR")
    accept = actions.add_parser("accept-key", help="accept an address's new key (key_changed)")
    accept.add_argument("address", metavar="ADDR")
    accept.add_argument("fingerprint", metavar="SHA256")


def _default_name(arguments: argparse.Namespace) -> str:
    import re
    from urllib.parse import urlsplit

    if arguments.name:
        return str(arguments.name)
    if getattr(arguments, "url", None):
        host = urlsplit(arguments.url).hostname or arguments.kind
    else:
        host = Path(arguments.path).stem
    return re.sub(r"[^A-Za-z0-9._-]", "-", host)[:60] or arguments.kind


def _config(arguments: argparse.Namespace) -> SourceConfig:
    from desktop_app.services.certificates.config import SourceConfig, check_name

    name = check_name(_default_name(arguments))
    ca_file = str(Path(arguments.ca_file).resolve()) if arguments.ca_file else None
    if arguments.kind == "ldap":
        return SourceConfig(
            name,
            "ldap",
            url=arguments.url,
            base_dn=arguments.base_dn,
            bind_dn=arguments.bind_dn,
            kerberos=arguments.kerberos,
            ca_file=ca_file,
        )
    return SourceConfig(
        name,
        "bundle",
        url=arguments.url,
        path=str(Path(arguments.path).resolve()) if arguments.path else None,
        signer=str(Path(arguments.signer).resolve()),
        ca_file=ca_file,
    )


def _add(arguments: argparse.Namespace, access: MailAccess) -> int:
    from desktop_app.core.messages import text
    from desktop_app.services.certificates.config import (
        DirectoryConfigError,
        admin_sources,
        save_user_sources,
        user_sources,
    )
    from desktop_app.services.certificates.registry import build_source
    from desktop_app.services.policy_files import system_policy_path

    home = access.home
    config = _config(arguments)
    existing = user_sources(home)
    admin = admin_sources(system_policy_path())
    if any(source.name == config.name for source in (*admin, *existing)):
        raise DirectoryConfigError(text("directory.name_taken", name=config.name))
    password: str | None = None
    if arguments.kind == "ldap" and arguments.password_env:
        password = os.environ.get(arguments.password_env)
        if password is None:
            raise DirectoryConfigError(
                text("directory.password_env_missing", variable=arguments.password_env)
            )
    if arguments.kind == "ldap":
        from desktop_app.services.certificates.ldap_source import LdapSource

        LdapSource(config, lambda: password).test()
    else:
        import shutil

        from desktop_app.services.certificates.bundle_source import bundle_folder

        config = _pinned_copy(config, home)
        try:
            build_source(config, access).test()
        except BaseException:
            shutil.rmtree(bundle_folder(home, config.name), ignore_errors=True)
            raise
    if password is not None:
        access.secrets().set(config.secret_name, password)
    save_user_sources(home, (*existing, config))
    print(text("directory.added", name=config.name, label=config.label))
    return EXIT_OK


def _pinned_copy(config: SourceConfig, home: Path) -> SourceConfig:
    """The admin signer copied into the home folder: the pin stays what was given."""
    import dataclasses

    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop_app.services.certificates.bundle_source import bundle_folder, read_signer

    assert config.signer is not None
    signers = read_signer(config.signer)
    folder = bundle_folder(home, config.name)
    folder.mkdir(parents=True, exist_ok=True)
    pinned = folder / "signer.pem"
    pinned.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in signers))
    return dataclasses.replace(config, signer=str(pinned))


def _describe(config: SourceConfig) -> dict[str, Any]:
    return {
        "name": config.name,
        "type": config.type,
        "source": config.label,
        "url": config.url,
        "path": config.path,
        "base_dn": config.base_dn,
        "bind_dn": config.bind_dn,
        "admin": config.admin,
    }


def _find(home: Path, name: str) -> SourceConfig:
    from desktop_app.core.messages import text
    from desktop_app.services.certificates.config import DirectoryConfigError, all_sources
    from desktop_app.services.policy_files import system_policy_path

    for config in all_sources(home, system_policy_path()):
        if config.name == name:
            return config
    raise DirectoryConfigError(text("directory.no_such", name=name))


def _remove(name: str, access: MailAccess) -> int:
    import shutil

    from desktop_app.core.messages import text
    from desktop_app.services.certificates.cache import FOLDER
    from desktop_app.services.certificates.config import (
        DirectoryConfigError,
        save_user_sources,
        user_sources,
    )
    from desktop_app.services.policy_files import system_policy_path

    home = access.home
    config = _find(home, name)
    if config.admin:
        raise DirectoryConfigError(
            text("directory.admin_owned", name=name, path=system_policy_path())
        )
    save_user_sources(home, tuple(s for s in user_sources(home) if s.name != name))
    if config.bind_dn:
        access.secrets().delete(config.secret_name)
    for cached in (home / FOLDER).glob(f"{config.type}_{name}.*"):
        cached.unlink(missing_ok=True)
    shutil.rmtree(home / "bundles" / name, ignore_errors=True)
    print(text("directory.removed", name=name))
    return EXIT_OK


def run_directory(arguments: argparse.Namespace, access: MailAccess) -> int:
    from desktop_app.core.messages import text
    from desktop_app.services.certificates.config import all_sources
    from desktop_app.services.certificates.registry import build_source
    from desktop_app.services.policy_files import system_policy_path

    home = access.home
    action = arguments.directory_command
    if action == "add":
        return _add(arguments, access)
    if action == "remove":
        return _remove(arguments.name, access)
    if action == "list":
        configs = all_sources(home, system_policy_path())
        if arguments.json:
            print(json.dumps({"directories": [_describe(c) for c in configs]}, indent=2))
        elif not configs:
            print(text("directory.none"))
        for config in configs if not arguments.json else ():
            owner = " (administrator)" if config.admin else ""
            print(f"{config.name}  {config.label}  {config.url or config.path}{owner}")
        return EXIT_OK
    if action == "test":
        config = _find(home, arguments.name)
        source = build_source(config, access)
        try:
            source.test()
        finally:
            source.close()
        if arguments.json:
            print(json.dumps({"name": config.name, "source": config.label, "ok": True}))
        else:
            print(text("directory.ok", name=config.name, label=config.label))
        return EXIT_OK
    if action in ("pin", "unpin", "accept-key"):
        from desktop_app.cli.directory_pins import run_pins

        return run_pins(arguments, home)
    from desktop_app.cli.directory_lookup import run_lookup

    return run_lookup(arguments, access)
