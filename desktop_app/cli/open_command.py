"""``smime-guard open``: decrypt and verify a message; optionally learn the signer's certificate."""

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from desktop_app.cli.exit_codes import EXIT_INVALID_SIGNATURE, EXIT_OK
from desktop_app.cli.output import report_error, say
from desktop_app.core.identity import Identity
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import display_name, fingerprint_sha256
from desktop_app.core.pki.stored import Source
from desktop_app.core.smime.harvest import HarvestDecision
from desktop_app.core.smime.layers import Layer, LayerKind
from desktop_app.core.smime.open_message import OpenedMessage, open_message
from desktop_app.services.accounts.kinds import KindAccess
from desktop_app.services.certstore.store import CertStore
from desktop_app.services.files import MAX_ATTACHMENT_BYTES, read_input_file
from desktop_app.services.identity_store import load_identity, stored_identity
from desktop_app.services.mail_access import MailAccess
from desktop_app.services.paths import store_path


def _identity(access: KindAccess) -> Identity | None:
    # A signed-only message opens without a key, so no keyring is asked for without one.
    if stored_identity(access.home) is None:
        return None
    return load_identity(access.home, access.secrets())


def _harvest(store: CertStore, opened: OpenedMessage, now: dt.datetime) -> HarvestDecision | None:
    decision = opened.harvest()
    if decision is not None and decision.certificate is not None:
        store.add_certificate(decision.certificate, Source.HARVESTED, now)
        if decision.capabilities_note is None:
            stored = store.record_capabilities(
                fingerprint_sha256(decision.certificate),
                decision.capabilities,
                now,
                signed_at=decision.signed_at,
            )
            if not stored:
                note = text("harvest.capabilities_older")
                decision = dataclasses.replace(decision, capabilities_note=note)
    return decision


def _signature_json(opened: OpenedMessage) -> dict[str, Any] | None:
    signature = opened.signature
    if signature is None:
        return None
    return {
        "signer": display_name(signature.signer.subject) if signature.signer else None,
        "signer_addresses": list(signature.signer_addresses),
        "valid": signature.valid,
        "covers": opened.signature_covers,
        "reason": signature.reason,
    }


def _layer_json(layer: Layer) -> dict[str, Any]:
    return {
        "kind": layer.kind.value,
        "signer": layer.signer,
        "covers": layer.covers,
        "valid": layer.valid,
        "reason": layer.description,
    }


def _json(opened: OpenedMessage, harvest: HarvestDecision | None) -> dict[str, Any]:
    encryption = opened.encryption
    learnt = harvest.certificate if harvest is not None else None
    return {
        "encryption": None
        if encryption is None
        else {
            "algorithm": encryption.cipher,
            "key_transport": encryption.key_transport,
            "recipients": encryption.recipients,
            "weak": encryption.weak,
        },
        "signature": _signature_json(opened),
        "layers": [_layer_json(layer) for layer in opened.layers],
        "warnings": [{"code": w.code, "message": w.message} for w in opened.warnings],
        "text": opened.body_text,
        "text_from_html": opened.text_from_html,
        "attachments": [
            {"filename": a.filename, "size": a.size, "sha256": a.sha256}
            for a in opened.message.attachments
        ],
        "harvested": [] if learnt is None else [fingerprint_sha256(learnt)],
        "headers": {
            "from": opened.headers.from_,
            "to": opened.headers.to,
            "cc": opened.headers.cc,
            "subject": opened.headers.subject,
            "date": opened.headers.date,
            "message_id": opened.headers.message_id,
        },
        "headers_protected": opened.headers_protected,
    }


def _print_readable(opened: OpenedMessage, harvest: HarvestDecision | None) -> None:
    if opened.encryption is not None:
        e = opened.encryption
        say("open.encrypted", cipher=e.cipher, transport=e.key_transport, count=e.recipients)
    else:
        say("open.not_encrypted")
    if opened.signature is not None:
        key = "open.signature_valid" if opened.signature.valid else "open.signature_invalid"
        say(key, reason=opened.signature.reason)
    else:
        say("open.not_signed")
    signatures = [layer for layer in opened.layers if layer.kind is LayerKind.SIGNED]
    if len(signatures) > 1 or opened.signature_outside_encryption:
        say("open.layers_heading")
        for number, layer in enumerate(opened.layers, start=1):
            say("open.layer_line", number=number, description=layer.description)
    if opened.headers_protected:
        say("open.headers_protected")
    if opened.headers.subject is not None:
        say("hp.legacy_subject", subject=opened.headers.subject)
    for warning in opened.warnings:
        say("open.warning", message=warning.message)
    for attachment in opened.message.attachments:
        say("open.attachment", name=attachment.filename, size=attachment.size)
    if harvest is not None:
        say(
            "cli.harvested" if harvest.harvested else "cli.not_harvested",
            address=opened.from_key,
            reason=harvest.reason,
        )
        if harvest.harvested and harvest.capabilities_note is not None:
            print(harvest.capabilities_note)
    if opened.text_from_html:
        say("open.html_only")
    print()
    print(opened.body_text)


def run_open(arguments: argparse.Namespace, access: MailAccess) -> int:
    """Open; exit 0 when opened (signature valid or absent), 3 when the signature is invalid."""
    now = dt.datetime.now(dt.UTC)
    eml = read_input_file(Path(arguments.file), max_bytes=MAX_ATTACHMENT_BYTES)
    identity = _identity(access)
    with CertStore.open(store_path(access.home)) as store:
        opened = open_message(eml, identity=identity, trust=store.trust_context(), at=now)
        harvest = _harvest(store, opened, now) if arguments.harvest else None
    if arguments.json:
        print(json.dumps(_json(opened, harvest), ensure_ascii=False, indent=2))
    else:
        _print_readable(opened, harvest)
    if opened.signature is not None and not opened.signature.valid:
        if arguments.json:
            report_error(opened.signature.reason)
        return EXIT_INVALID_SIGNATURE
    return EXIT_OK
