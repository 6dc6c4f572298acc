"""The m365 kind end to end: msal against the test authority, Graph and SMTP test servers
over TLS on 127.0.0.1, and ``smime-guard`` commands run as ``main`` runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.pki.certificates import fingerprint_sha256
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.certstore.store_errors import CertificateNotFound
from desktop_app.services.paths import log_folder, store_path
from tests.ews_server.tls import LocalTls
from tests.ews_server.token_server import TokenTestServer
from tests.factories.certs import NOW
from tests.factories.openssl_reader import openssl_decrypt
from tests.graph_server import GraphTestServer
from tests.graph_server.state import Fault, StoredMessage
from tests.mail_servers.smtp_server import SmtpTestServer
from tests.services.exchange.conftest import USER, Pki
from tests.services.exchange.sealing import seal_files
from tests.services.graph.conftest import ACCOUNT, M365Cli, files_under
from tests.services.graph.messages import (
    encrypted_mail,
    plain_mail,
    sealed_with_attachment,
    signed_mail,
)
from tests.services.oauth.fixtures import MemoryStores, token_cache_text

MB = 1024 * 1024


def test_sign_in_keeps_the_account_and_proves_graph_and_smtp_tokens(
    signed_in: M365Cli, authority: TokenTestServer, graph: GraphTestServer
) -> None:
    listed = signed_in("account", "list", "--json").json()["accounts"]
    assert [(a["name"], a["kind"], a["email"]) for a in listed] == [(ACCOUNT, "m365", USER)]
    assert graph.state.requests["GET /me"] == 1
    # One interactive sign-in (device code); the SMTP token came from its refresh token.
    assert authority.state.grants.count("device_code") == 1
    assert any("SMTP.Send" in scope for scope in authority.state.access_scopes.values())
    assert signed_in("account", "test", ACCOUNT).code == 0
    assert graph.state.requests["GET /me"] == 2


def test_a_refused_graph_stores_nothing(
    m365_cli: M365Cli,
    authority: TokenTestServer,
    graph: GraphTestServer,
    smtp: SmtpTestServer,
    local_tls: LocalTls,
) -> None:
    graph.state.accept_token = lambda token: False
    outcome = m365_cli.add(authority, graph, smtp, local_tls.ca_file)
    assert outcome.code == 2
    assert "Microsoft Graph refused the account" in outcome.err
    assert m365_cli("account", "list", "--json").json() == {"accounts": []}


def test_inbox_lists_security_of_each_message_and_harvests(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki
) -> None:
    alice = "alice@clinic.example"
    with CertStore.open(store_path(signed_in.home)) as store, pytest.raises(CertificateNotFound):
        store.certificate(fingerprint_sha256(pki.alice.cert))
    graph.state.inbox += [
        StoredMessage("m-signed", signed_mail(pki.alice, alice, "Signed"), NOW),
        StoredMessage("m-tampered", signed_mail(pki.alice, alice, "Tampered", tamper=True), NOW),
        StoredMessage("m-sealed", encrypted_mail(pki.me, alice, "Sealed"), NOW),
        StoredMessage("m-plain", plain_mail(alice, "Plain"), NOW),
    ]
    outcome = signed_in("inbox", "--account", ACCOUNT, "--json", "--harvest")
    assert outcome.code == 0, outcome.err
    found = {m["subject"]: m for m in outcome.json()["messages"]}
    assert found["Signed"]["signature_valid"] is True and found["Signed"]["harvested"]
    assert found["Tampered"]["signature_valid"] is False and not found["Tampered"]["harvested"]
    assert found["Sealed"]["encrypted"] is True
    assert found["Plain"] == {**found["Plain"], "encrypted": False, "signed": False}
    assert graph.state.requests["GET /me/messages/{id}/$value"] == 4
    with CertStore.open(store_path(signed_in.home)) as store:
        harvested = store.certificate(fingerprint_sha256(pki.alice.cert))
    assert harvested == pki.alice.cert


def test_sealed_send_with_bcc_goes_by_graph_one_copy_each(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    files = seal_files(pki, tmp_path / "sealed", tmp_path / "sealing-store.sqlite3")
    outcome = signed_in("send", *map(str, files), "--account", ACCOUNT, "--json")
    assert outcome.code == 0, outcome.err
    sent = outcome.json()["sent"]
    assert [(s["route"], s["sent_copy"]) for s in sent] == [("graph", "saved_by_server")] * 2
    first, bcc = graph.state.sent
    assert first.mime == files[0].read_bytes() and bcc.mime == files[1].read_bytes()
    assert set(first.recipients) == {"alice@clinic.example", "bob@clinic.example"}
    assert bcc.recipients == ("carol@clinic.example",)
    assert b"Private." in openssl_decrypt(first.mime, pki.alice, tmp_path / "alice")
    assert b"Private." in openssl_decrypt(first.mime, pki.bob, tmp_path / "bob")
    assert b"Private." in openssl_decrypt(bcc.mime, pki.carol, tmp_path / "carol")
    assert signed_in("outbox", "--json").json() == {"messages": []}


def test_ten_megabytes_go_by_smtp_and_one_by_graph_without_asking(
    signed_in: M365Cli, graph: GraphTestServer, smtp: SmtpTestServer, pki: Pki, tmp_path: Path
) -> None:
    big = tmp_path / "big.eml"
    small = tmp_path / "small.eml"
    big.write_bytes(sealed_with_attachment(pki.alice, "alice@clinic.example", 10 * MB, 1))
    small.write_bytes(sealed_with_attachment(pki.alice, "alice@clinic.example", 1 * MB, 2))
    signed_in.timeouts = (5.0, 30.0)
    outcome = signed_in("send", str(big), str(small), "--json")
    assert outcome.code == 0, outcome.err
    routes = {s["source"]: (s["route"], s["sent_copy"]) for s in outcome.json()["sent"]}
    assert routes == {
        "big.eml": ("smtp", "not_confirmed"),
        "small.eml": ("graph", "saved_by_server"),
    }
    [delivered] = smtp.state.delivered
    assert delivered.recipients == ("alice@clinic.example",) and delivered.login == USER
    assert delivered.data.replace(b"\r\n", b"\n") == big.read_bytes().replace(b"\r\n", b"\n")
    assert [m.mime for m in graph.state.sent] == [small.read_bytes()]
    assert graph.state.requests["POST /me/sendMail"] == 1  # the big one never went to Graph
    assert b"Scan attached." in openssl_decrypt(delivered.data, pki.alice, tmp_path / "a")


def test_smtp_auth_disabled_says_so_and_keeps_the_message(
    signed_in: M365Cli, smtp: SmtpTestServer, pki: Pki, tmp_path: Path
) -> None:
    smtp.state.auth_disabled = True
    big = tmp_path / "big.eml"
    big.write_bytes(sealed_with_attachment(pki.alice, "alice@clinic.example", 4 * MB, 3))
    outcome = signed_in("send", str(big))
    assert outcome.code == 1
    assert "SMTP AUTH is disabled for the mailbox me@clinic.example" in outcome.err
    [waiting] = signed_in("outbox", "--json").json()["messages"]
    assert Path(waiting["file"]).read_bytes() == big.read_bytes()


@pytest.mark.parametrize(
    "fault",
    [
        Fault("429", "/me/sendMail", retry_after=120),
        Fault("503", "/me/sendMail"),
        Fault("504", "/me/sendMail"),
        Fault("timeout", "/me/sendMail", hang=4.0),
        Fault("malformed", "/me/sendMail"),
    ],
    ids=["429-retry-after", "503", "504", "timeout", "malformed"],
)
def test_each_fault_keeps_the_message_sealed_until_retry_sends_the_same_bytes(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path, fault: Fault
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "sealed", tmp_path / "sealing-store.sqlite3")
    original = message.read_bytes()
    # A 503 repeats until the bounded back-off gives up; the others fail at once.
    graph.state.faults += [fault] * (4 if fault.kind == "503" else 1)
    outcome = signed_in("send", str(message))
    assert outcome.code == 1, outcome.out
    [waiting] = signed_in("outbox", "--json").json()["messages"]
    assert waiting["encrypted"] and waiting["attempts"] == 1 and waiting["last_error"]
    assert Path(waiting["file"]).read_bytes() == original
    assert not graph.state.sent
    if fault.retry_after:
        assert waiting["not_before"] is not None
        assert signed_in("retry").code == 1  # not yet: the server asked for two minutes
        signed_in.later(fault.retry_after)
    assert signed_in.waits == ([1.0, 2.0, 4.0] if fault.kind == "503" else [])
    retried = signed_in("retry", "--json")
    assert retried.code == 0, retried.err
    assert [m.mime for m in graph.state.sent] == [original]
    assert signed_in("outbox", "--json").json() == {"messages": []}


def test_a_short_retry_after_is_waited_out_within_one_send(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "sealed", tmp_path / "sealing-store.sqlite3")
    graph.state.faults.append(Fault("429", "/me/sendMail", retry_after=3))
    assert signed_in("send", str(message)).code == 0
    assert signed_in.waits == [3.0]
    assert graph.state.requests["POST /me/sendMail"] == 2


def test_a_malformed_listing_is_a_clear_error(signed_in: M365Cli, graph: GraphTestServer) -> None:
    graph.state.faults.append(Fault("malformed", "/inbox/messages"))
    outcome = signed_in("inbox", "--json")
    assert outcome.code == 2
    assert "answered with something that is not what Graph sends" in outcome.err


def test_no_token_reaches_any_output_log_or_file(
    signed_in: M365Cli,
    authority: TokenTestServer,
    graph: GraphTestServer,
    memory_stores: MemoryStores,
    pki: Pki,
    tmp_path: Path,
) -> None:
    files = seal_files(pki, tmp_path / "sealed", tmp_path / "sealing-store.sqlite3")
    graph.state.faults.append(Fault("503", "/me/sendMail"))
    signed_in("send", *map(str, files))
    signed_in("retry")
    signed_in("inbox")
    secrets = authority.state.secrets()
    assert secrets and token_cache_text(memory_stores)  # tokens exist, in the token cache only
    written = [path.read_bytes() for path in files_under(signed_in.home)]
    written += [path.read_bytes() for path in files_under(log_folder())]
    for secret in secrets:
        assert all(secret not in output for output in signed_in.outputs)
        assert all(secret.encode() not in data for data in written)
    assert json.dumps(signed_in("account", "list", "--json").json()).find("at-") == -1


def test_a_message_taken_before_the_answer_was_lost_is_not_sent_twice(
    signed_in: M365Cli, graph: GraphTestServer, pki: Pki, tmp_path: Path
) -> None:
    [message, *_] = seal_files(pki, tmp_path / "sealed", tmp_path / "sealing-store.sqlite3")
    graph.state.faults.append(Fault("lost_answer", "/me/sendMail", hang=4.0))
    assert signed_in("send", str(message)).code == 1  # timed out: it may or may not be sent
    assert [m.mime for m in graph.state.sent] == [message.read_bytes()]
    retried = signed_in("retry", "--json")
    assert retried.code == 0, retried.err
    assert len(graph.state.sent) == 1  # found in Sent Items by its Message-ID: not resent
    assert graph.state.requests["POST /me/sendMail"] == 1
    assert graph.state.requests["GET /me/mailFolders/sentitems/messages"] == 1
    assert signed_in("outbox", "--json").json() == {"messages": []}
