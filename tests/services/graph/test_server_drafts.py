"""Autosaved drafts on an m365 account: sealed copies in the server's Drafts, replaced,
removed, and never anything in plaintext."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from desktop_app.core.identity import identity_of
from desktop_app.services.accounts.kinds import kind_support
from desktop_app.services.accounts.server_drafts import ServerMirroredDrafts
from desktop_app.services.accounts.store import load_account
from desktop_app.services.drafts import DraftRecord
from tests.factories.certs import NOW
from tests.graph_server import GraphTestServer
from tests.services.exchange.conftest import Pki
from tests.services.graph.conftest import ACCOUNT, M365Cli
from tests.services.graph.test_graph_mailbox_and_directory import _services

SECRET_TEXT = "Patient 4711: biopsy result attached"


def _drafts(cli: M365Cli, pki: Pki, folder: Path) -> ServerMirroredDrafts:
    account = load_account(cli.home, ACCOUNT)
    services = _services(cli)
    me = identity_of(pki.me.cert, pki.me.key, (pki.root.cert,), source="test")
    return ServerMirroredDrafts(
        folder,
        lambda: me,
        lambda: kind_support(account.kind).open_mailbox(account, services),
        lambda: NOW,
    )


def _decrypt(mime: bytes, pki: Pki, folder: Path) -> bytes:
    key = folder / "key.pem"
    key.write_bytes(
        pki.me.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "cert.pem").write_bytes(pki.me.cert.public_bytes(serialization.Encoding.PEM))
    (folder / "draft.eml").write_bytes(mime)
    done = subprocess.run(
        ["openssl", "cms", "-decrypt", "-in", str(folder / "draft.eml"),
         "-recip", str(folder / "cert.pem"), "-inkey", str(key)],
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_each_autosave_replaces_the_sealed_server_copy(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    drafts = _drafts(signed_in, pki, tmp_path / "drafts")
    record = DraftRecord("d1", NOW, to=("alice@clinic.example",), subject="Biopsy", body="first")
    assert drafts.save(record) is not None
    later = DraftRecord("d1", NOW, to=("alice@clinic.example",), subject="Biopsy", body=SECRET_TEXT)
    drafts.save(later)
    [stored] = graph.state.drafts
    assert graph.state.requests["POST /me/messages"] == 2
    assert graph.state.requests["DELETE /me/messages/{id}"] == 1
    for body in graph.state.bodies_seen:
        assert SECRET_TEXT.encode() not in body and b"Biopsy" not in body
    assert b"Biopsy" not in stored.mime and b"alice@" not in stored.mime
    opened = _decrypt(stored.mime, pki, tmp_path)
    assert SECRET_TEXT.encode() in opened and b"Subject: Biopsy" in opened
    assert b"To: alice@clinic.example" in opened
    drafts.delete("d1")
    assert graph.state.drafts == []
    assert not drafts.path("d1").exists()


def test_a_server_that_refuses_costs_only_the_server_copy(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    graph.state.accept_token = lambda token: False
    drafts = _drafts(signed_in, pki, tmp_path / "drafts")
    path = drafts.save(DraftRecord("d2", NOW, subject="Kept", body="local only"))
    assert path is not None and path.exists()
    assert graph.state.drafts == []
