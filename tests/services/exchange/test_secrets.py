"""The Exchange password appears nowhere but in the keyring: not in files, logs or messages."""

from __future__ import annotations

import base64
from pathlib import Path

from desktop_app.services.paths import log_folder
from tests.ews_server import EwsTestServer
from tests.services.exchange.conftest import PASSWORD, USER, Cli, Pki
from tests.services.exchange.sealing import seal_files


def _files(*folders: Path) -> dict[Path, bytes]:
    return {
        path: path.read_bytes()
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_password_never_reaches_files_logs_or_error_text(
    cli: Cli, ews: EwsTestServer, pki: Pki, tmp_path: Path
) -> None:
    outputs = [cli.login(ews, password=PASSWORD + " but wrong").err]
    outputs += [cli.login(ews).out]
    ews.state.mailbox("alice@clinic.example", smime=[pki.alice.der])
    for fault in ("server_busy", "http500", "malformed", None):
        if fault:
            ews.state.faults.add(fault)
        outcome = cli("exchange", "lookup", "alice@clinic.example", "nobody@clinic.example")
        outputs += [outcome.out, outcome.err]
    sealed = seal_files(pki, tmp_path / "sealed", tmp_path / "sealer.sqlite3")
    ews.state.faults.add("http500", "CreateItem")
    for command in (("send", *map(str, sealed)), ("outbox", "--json"), ("retry",)):
        outcome = cli("exchange", *command)
        outputs += [outcome.out, outcome.err]
    ews.stop()
    outcome = cli("exchange", "lookup", "alice@clinic.example")
    outputs += [outcome.out, outcome.err]

    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode())
    files = _files(cli.home, log_folder())
    assert any(path.suffix == ".log" for path in files)  # the log was written
    for text in outputs:
        assert PASSWORD not in text and "but wrong" not in text
    for path, data in files.items():
        assert PASSWORD.encode() not in data, path
        assert basic not in data, path
        assert PASSWORD.encode("utf-16-le") not in data, path
