"""Strings of the command line, input files, identity, keyring and self-test."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # command line and input files
    "cli.error": "smime-guard: {message}",
    "cli.internal_error": "smime-guard: internal error; details are in the log file.",
    "cli.no_windows": "This entry point has no windows; run smime-guard to open them.",
    "cli.password_env_unset": (
        "The environment variable {variable} (from --password-env) is not set."
    ),
    "cli.imported": (
        "{file}: {added} new {added:p:certificate|certificates}, {known} already known."
    ),
    "cli.not_a_ca": "Skipped {subject}: not a CA certificate.",
    "cli.no_ca_in_file": "{file} holds no CA certificate; nothing trusted.",
    "cli.trusted": "Trusted: {subject}",
    "cli.already_trusted": "Already trusted: {subject}",
    "cli.crl_unknown_signer": (
        "{file} is not signed by a known CA ({issuer}); trust or import that CA first. "
        "Nothing was stored."
    ),
    "cli.crl_stored": "Stored the CRL of {issuer}.",
    "cli.crl_older": "Kept the newer CRL already stored for {issuer}.",
    "cli.no_certificates": "No recipient certificates stored.",
    "cli.bad_time": "“{value}” is not an ISO 8601 time; use for example 2026-06-01T12:00:00Z.",
    "cli.headline_encrypted": "Encrypted",
    "cli.headline_not_encrypted": "Not Encrypted",
    "cli.warnings": "Warnings:",
    "file.too_large": "{path} is too large ({size} bytes) to be a certificate or message.",
    "file.missing": "{path} does not exist.",
    "file.is_folder": "{path} is a folder, not a file.",
    "file.not_regular": "{path} is not an ordinary file (a device or a pipe, say).",
    "file.unreadable": "{path} cannot be read: {reason}.",
    "file.unwritable": "{path} cannot be written: {reason}. Nothing was written.",
    "file.not_utf8": "{path} is not UTF-8 text.",
    "cli.sealed": "{path}",
    "cli.not_sealed": "Not sealed: {reason}",
    "cli.from_not_identity": (
        "{address} is not an address of your certificate ({addresses}); choose --from "
        "accordingly or import the right identity."
    ),
    "cli.harvested": "Learnt the certificate of {address}.",
    "cli.not_harvested": "No certificate learnt: {reason}",
    "cli.lint_clean": "No interoperability faults found.",
    # demo
    "demo.identity_damaged": (
        "The demo identity in {folder} is missing or damaged; delete the demo folder to "
        "build it again."
    ),
    # certificate store
    "store.folder": (
        "“{path}” is a folder, not a certificate store file. Choose a file name for the store."
    ),
    "store.cannot_open": (
        "The certificate store “{path}” cannot be opened or written. Check that its folder "
        "exists and that you may read and write there."
    ),
    "store.locked": (
        "The certificate store “{path}” is busy in another program (perhaps another copy of "
        "smime-guard). Close it and try again."
    ),
    "store.full": (
        "The disk holding the certificate store “{path}” is full. Free some space and try again."
    ),
    "store.damaged": (
        "“{path}” is not a certificate store this program can read, or it is damaged. It was "
        "left as it is: restore it from a backup, or move it aside and a new, empty store is made."
    ),
    "store.foreign": (
        "“{path}” is a database of another program, not a smime-guard certificate store. It "
        "was left as it is: choose another file for the store."
    ),
    "store.newer": (
        "The certificate store “{path}” was written by a newer version of smime-guard (store "
        "version {found}; this version reads up to {known}). Update smime-guard, or choose "
        "another file for the store."
    ),
    "store.unknown_certificate": "No certificate with fingerprint {fingerprint} is in the store.",
    "demo.bad_people": "The demo's list of people cannot be read: {reason}.",
    "demo.cannot_build": "The demo home {path} cannot be built: {reason}.",
    "demo.foreign_home": (
        "{path} already holds a certificate store that is not a demo. Choose an empty folder "
        "for the demo with --home."
    ),
    # identity
    "identity.no_private_key": (
        "{source} holds no private key, so it is not your own identity. To add someone else's "
        "certificate, use “certs import”."
    ),
    "identity.no_certificate": "{source} holds a private key but no certificate for it.",
    "identity.key_not_for_certificate": (
        "In {source}, the private key does not belong to the certificate."
    ),
    "identity.unsupported_key": (
        "The private key in {source} is of a kind S/MIME here cannot use ({kind}); "
        "an RSA or elliptic-curve key is needed."
    ),
    "identity.pkcs12_unreadable": "{source} cannot be read as a PKCS#12 (.p12 / .pfx) file.",
    "identity.stored_key_wrong_passphrase": (
        "Your stored private key cannot be unlocked with the passphrase in the system keyring. "
        "Import your identity again."
    ),
    "identity.stored_key_damaged": (
        "Your stored private key is damaged. Import your identity again."
    ),
    "identity.stored_certificates_damaged": (
        "Your stored certificate is damaged. Import your identity again."
    ),
    "identity.stored_source": "your stored identity",
    "identity.none_stored": (
        "No identity of your own is stored. Import yours with "
        "“smime-guard identity import FILE.p12”."
    ),
    "identity.passphrase_missing": (
        "The passphrase of your stored private key is not in the system keyring ({backend}). "
        "If you now use another keyring or user account, import your identity again."
    ),
    "identity.store_damaged": (
        "Your stored identity ({path}) is damaged. Import your identity again."
    ),
    "identity.key_file_missing": (
        "Your stored private key ({path}) is missing. Import your identity again."
    ),
    "identity.keyring_did_not_keep": (
        "The system keyring ({backend}) did not keep the passphrase of your private key; "
        "nothing was stored."
    ),
    "identity.cannot_write": (
        "Your identity cannot be stored in {path}: {reason}. Nothing was changed."
    ),
    "identity.password_prompt": "Password for {source}: ",
    "identity.password_needs_terminal": (
        "{source} needs its password, and there is no terminal to ask for it on. "
        "Put the password in an environment variable and name it with --password-env."
    ),
    "identity.imported": (
        "Imported your identity: {subject} ({addresses}).\n"
        "The private key is stored encrypted; its passphrase is kept in {backend}."
    ),
    "identity.nothing_to_show": "No identity of your own is stored.",
    "identity.removed": "Removed your identity: its files and its keyring entry.",
    "identity.nothing_to_remove": "No identity of your own is stored; nothing was removed.",
    "identity.no_address": "(no address)",
    "identity.expired": " (expired)",
    "identity.not_yet_valid": " (not yet valid)",
    "identity.show": (
        "Subject:      {subject}\n"
        "Addresses:    {addresses}\n"
        "Issuer:       {issuer}\n"
        "Serial:       {serial}\n"
        "SHA-256:      {fingerprint}\n"
        "Valid:        {not_before} to {not_after}{state}\n"
        "Chain:        {chain} {chain:p:certificate|certificates}"
    ),
    # keyring
    "keyring.no_system_keyring": (
        "No system keyring is available (found {backend}). smime-guard keeps secrets only in "
        "the system keyring: install and unlock GNOME Keyring or KWallet, or run on Windows "
        "or macOS."
    ),
    "keyring.plaintext": (
        "The keyring backend {backend} keeps secrets in a file, not in a system keyring, so "
        "smime-guard will not use it. Uninstall keyrings.alt (or set PYTHON_KEYRING_BACKEND to "
        "a system keyring), then install and unlock GNOME Keyring or KWallet."
    ),
    "keyring.unknown": (
        "The keyring backend {backend} is not a system keyring smime-guard knows, so it keeps "
        "no secrets there. Use GNOME Keyring or KWallet (Secret Service), the macOS Keychain "
        "or the Windows Credential Manager."
    ),
    "keyring.failed": (
        "The system keyring ({backend}) could not be used: {failure}. Unlock it, or start it, "
        "and try again."
    ),
    "keyring.chain": "{chainer} of [{found}]",
    # self-test
    "selftest.check_qt": "Qt",
    "selftest.check_resources": "resources",
    "selftest.check_round_trip": "seal/open",
    "selftest.check_keyring": "keyring",
    "selftest.check_policy": "policy",
    "selftest.check_trust_anchors": "trust anchors",
    "selftest.mark_passed": "ok  ",
    "selftest.mark_failed": "FAIL",
    "selftest.line": "{mark} {name}: {detail}",
    "selftest.failed": "self-test FAILED: {names}",
    "selftest.passed": "self-test passed: {count} checks",
    "selftest.keyring_not_returned": "the keyring {backend} did not return what it kept",
    "selftest.keyring_not_forgotten": "the keyring {backend} did not forget the probe secret",
    "selftest.keyring_ok": "{backend} keeps and returns secrets",
    "selftest.policy_in_force": (
        "require_encryption={require_encryption}, {domains} internal domains"
    ),
    "selftest.no_policy": "no policy file ({looked}): the defaults are in force ({in_force})",
    "selftest.policy_parsed": "{files} parsed ({in_force})",
    "selftest.no_trust_anchors": "no system trust anchors ({folder} does not exist)",
    "selftest.file_unreadable": "{path} cannot be read: {reason}",
    "selftest.no_certificate": "{path} holds no certificate",
    "selftest.trust_anchors_ok": (
        "{count} {count:p:certificate|certificates} in {files} {files:p:file|files} in {folder}"
    ),
    "selftest.qt_not_gui": "a non-GUI Qt application already runs ({kind})",
    "selftest.platform_plugin_missing": (
        "the platform plugin {plugin} is missing (looked in {folders})"
    ),
    "selftest.widget_not_painted": "a widget could not be painted",
    "selftest.icons_missing": "icons missing from {folder}: {names}",
    "selftest.icon_not_rendered": "the icon {path} does not render (Qt SVG plugin missing?)",
    "selftest.demo_policy_source": "demo policy",
    "selftest.no_demo_messages": "no demo messages in {folder}",
    "selftest.demo_message_no_from": "the demo message {path} has no From",
    "selftest.resources_missing": "the resources folder {folder} is missing",
    "selftest.style_empty": "the style sheet {path} is empty",
    "selftest.example_missing": "the example {path} is missing",
    "selftest.example_source": "example",
    "selftest.resources_ok": (
        "{icons} icons, {styles} styles, demo of {people} people and {messages} messages, "
        "examples; from {folder}"
    ),
    "selftest.envelope_count": "expected one envelope, sealing made {count}",
    "selftest.came_back_unencrypted": "the sealed message came back unencrypted",
    "selftest.no_signature": "no signature",
    "selftest.signature_failed": "the signature did not verify: {reason}",
    "selftest.text_differs": "the opened text differs from the sealed text",
    "selftest.attachment_differs": "the opened attachment differs from the sealed one",
    "selftest.round_trip_ok": (
        "signed and encrypted ({cipher}, {key_transport}), opened and verified"
    ),
    "identity_dialog.title": "My certificate",
    "identity_dialog.action": "My certificate…",
    "identity_dialog.action_tip": (
        "Your own certificate and key: see which one is set up, or import a .p12/.pfx file"
    ),
    "identity_dialog.intro": (
        "Your own S/MIME certificate and key sign your mail and open mail encrypted to you. "
        "Import the .p12 or .pfx file your certificate authority gave you; the key is kept "
        "encrypted on this computer and its passphrase only in the system keyring."
    ),
    "identity_dialog.current_label": "Now",
    "identity_dialog.none": "No certificate of yours is set up.",
    "identity_dialog.current": (
        "{addresses}\nIssued by {issuer}, valid until {not_after}{state}\nSHA-256 {fingerprint}…"
    ),
    "identity_dialog.file_label": "File",
    "identity_dialog.file_placeholder": "The .p12 or .pfx file",
    "identity_dialog.file_filter": "PKCS#12 files (*.p12 *.pfx);;All files (*)",
    "identity_dialog.browse": "Choose…",
    "identity_dialog.password_label": "Password",
    "identity_dialog.import": "Import",
    "identity_dialog.no_file": "Choose the .p12 or .pfx file to import.",
    "identity_dialog.importing": "Importing {file}…",
    "identity_dialog.imported": (
        "Imported. New messages are signed and encrypted with this certificate."
    ),
}
