"""Reading one scenario file strictly into a ``Scenario``.

A scenario file is TOML (see ``resources/training/``). Every error names the file and the
field, so a trainer who drops a broken file into the training folder can fix it.
"""

import tomllib
from collections.abc import Mapping
from enum import StrEnum
from typing import NoReturn, TypeVar

from desktop_app.core.messages import text
from desktop_app.core.policy.model import PhiMode, Policy, RequireEncryption
from desktop_app.core.recipients.addresses import AddressError, Mailbox, parse_mailbox
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key
from desktop_app.core.recipients.replies import ComposeAction
from desktop_app.core.recipients.status import Overall, StatusCode
from desktop_app.core.training.schema import (
    DEFAULT_POLICY,
    CertificateOrigin,
    Decision,
    DraftSpec,
    ExpectedAnswer,
    Original,
    Person,
    PhoneView,
    Scenario,
    ScenarioError,
    Situation,
)

_TOP = frozenset(
    {"title", "story", "order", "action", "sender", "person", "original", "draft", "policy"}
    | {"answer", "phone"}
)


_E = TypeVar("_E", bound=StrEnum)


class _Reader:
    """Field access with errors that name the file and the dotted field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, key: str, **values: object) -> NoReturn:
        reason = text(key, **values)
        message = text("training.error", source=self.source, field=field, reason=reason)
        raise ScenarioError(message, source=self.source, field=field)

    def table(self, data: Mapping[str, object], name: str, field: str) -> Mapping[str, object]:
        value = data.get(name)
        if not isinstance(value, dict):
            self.fail(field, "training.error_table" if value is not None else "training.missing")
        return value

    def string(
        self, data: Mapping[str, object], name: str, field: str, default: str | None = None
    ) -> str:
        value = data.get(name, default)
        if value is None:
            self.fail(field, "training.missing")
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(field, "training.error_string")
        return value

    def flag(self, data: Mapping[str, object], name: str, field: str, default: bool) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.fail(field, "training.error_bool")
        return value

    def strings(self, data: Mapping[str, object], name: str, field: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(field, "training.error_list")
        return tuple(value)

    def choice(
        self,
        data: Mapping[str, object],
        name: str,
        field: str,
        kind: type[_E],
        default: _E | None = None,
    ) -> _E:
        value = data.get(name, default)
        if value is None:
            self.fail(field, "training.missing")
        allowed = ", ".join(member.value for member in kind)
        if not isinstance(value, str):
            self.fail(field, "training.error_choice", value=value, allowed=allowed)
        try:
            return kind(value)
        except ValueError:
            self.fail(field, "training.error_choice", value=value, allowed=allowed)

    def mailbox(self, value: str, field: str) -> Mailbox:
        try:
            return parse_mailbox(value)
        except AddressError as error:
            self.fail(field, "training.error_address", value=value, problem=error.message)

    def unknown(self, data: Mapping[str, object], allowed: frozenset[str], prefix: str) -> None:
        for name in data:
            if name not in allowed:
                self.fail(prefix + name, "training.error_unknown")


def _person(reader: _Reader, entry: object, index: int) -> Person:
    field = f"person[{index}]"
    if not isinstance(entry, dict):
        reader.fail(field, "training.error_table")
    reader.unknown(
        entry,
        frozenset({"name", "address", "certificate", "source", "certificate_address", "expect"}),
        field + ".",
    )
    address = reader.string(entry, "address", field + ".address")
    name = reader.string(entry, "name", field + ".name", "")
    mailbox = reader.mailbox(f'"{name}" <{address}>' if name else address, field + ".address")
    situation = reader.choice(entry, "certificate", field + ".certificate", Situation)
    source = reader.choice(
        entry, "source", field + ".source", CertificateOrigin, CertificateOrigin.IMPORTED
    )
    other: str | None = None
    if situation is Situation.OTHER_ADDRESS:
        other = reader.mailbox(
            reader.string(entry, "certificate_address", field + ".certificate_address"),
            field + ".certificate_address",
        ).key
    expect = (
        reader.choice(entry, "expect", field + ".expect", StatusCode) if "expect" in entry else None
    )
    return Person(mailbox, situation, source, other, expect)


def _addresses(
    reader: _Reader, data: Mapping[str, object], name: str, field: str
) -> tuple[Mailbox, ...]:
    return tuple(reader.mailbox(value, field) for value in reader.strings(data, name, field))


def _original(reader: _Reader, data: Mapping[str, object]) -> Original:
    table = reader.table(data, "original", "original")
    reader.unknown(
        table, frozenset({"from", "to", "cc", "subject", "body", "encrypted"}), "original."
    )
    return Original(
        sender=reader.mailbox(reader.string(table, "from", "original.from"), "original.from"),
        to=_addresses(reader, table, "to", "original.to"),
        cc=_addresses(reader, table, "cc", "original.cc"),
        subject=reader.string(table, "subject", "original.subject"),
        body=reader.string(table, "body", "original.body", ""),
        encrypted=reader.flag(table, "encrypted", "original.encrypted", False),
    )


def _draft(reader: _Reader, data: Mapping[str, object]) -> DraftSpec:
    if "draft" not in data:
        return DraftSpec()
    table = reader.table(data, "draft", "draft")
    reader.unknown(
        table, frozenset({"to", "cc", "bcc", "subject", "body", "attachments"}), "draft."
    )
    files = table.get("attachments", [])
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        reader.fail("draft.attachments", "training.error_list")
    attachments = tuple(
        (
            reader.string(f, "name", f"draft.attachments[{i}].name"),
            reader.string(f, "text", f"draft.attachments[{i}].text"),
        )
        for i, f in enumerate(files)
    )
    return DraftSpec(
        to=_addresses(reader, table, "to", "draft.to"),
        cc=_addresses(reader, table, "cc", "draft.cc"),
        bcc=_addresses(reader, table, "bcc", "draft.bcc"),
        subject=reader.string(table, "subject", "draft.subject", ""),
        body=reader.string(table, "body", "draft.body", ""),
        attachments=attachments,
    )


def _policy(reader: _Reader, data: Mapping[str, object]) -> Policy:
    if "policy" not in data:
        return DEFAULT_POLICY
    table = reader.table(data, "policy", "policy")
    allowed = frozenset(
        {"internal_domains", "require_encryption", "allow_unencrypted_override", "phi"}
    )
    reader.unknown(table, allowed, "policy.")
    domains = []
    for value in reader.strings(table, "internal_domains", "policy.internal_domains"):
        try:
            domains.append(domain_key(value))
        except AddressKeyError as error:
            reader.fail(
                "policy.internal_domains", "training.error_domain", value=value, problem=error
            )
    require = reader.choice(
        table,
        "require_encryption",
        "policy.require_encryption",
        RequireEncryption,
        DEFAULT_POLICY.require_encryption,
    )
    override = reader.flag(
        table, "allow_unencrypted_override", "policy.allow_unencrypted_override", True
    )
    phi = reader.choice(table, "phi", "policy.phi", PhiMode, PhiMode.WARN)
    return Policy(frozenset(domains), require, override, phi=phi)


def _answer(reader: _Reader, data: Mapping[str, object]) -> ExpectedAnswer:
    table = reader.table(data, "answer", "answer")
    reader.unknown(table, frozenset({"correct", "explanation", "expect", "notices"}), "answer.")
    values = reader.strings(table, "correct", "answer.correct")
    if not values:
        reader.fail("answer.correct", "training.error_no_answer")
    correct = frozenset(reader.choice({"v": v}, "v", "answer.correct", Decision) for v in values)
    return ExpectedAnswer(
        correct=correct,
        explanation=reader.string(table, "explanation", "answer.explanation"),
        expect=reader.choice(table, "expect", "answer.expect", Overall),
        notices=frozenset(reader.strings(table, "notices", "answer.notices")),
    )


def _phone(reader: _Reader, data: Mapping[str, object]) -> PhoneView | None:
    if "phone" not in data:
        return None
    table = reader.table(data, "phone", "phone")
    reader.unknown(table, frozenset({"shown", "note"}), "phone.")
    return PhoneView(
        shown=reader.choice(table, "shown", "phone.shown", Overall),
        note=reader.string(table, "note", "phone.note"),
    )


def _check_people(reader: _Reader, scenario: Scenario) -> None:
    known = {person.mailbox.key for person in scenario.people}
    if len(known) != len(scenario.people):
        reader.fail("person", "training.error_duplicate_person")
    groups: list[tuple[str, tuple[Mailbox, ...]]] = [
        ("draft.to", scenario.draft.to),
        ("draft.cc", scenario.draft.cc),
        ("draft.bcc", scenario.draft.bcc),
    ]
    if scenario.original is not None:
        original = scenario.original
        groups += [("original.from", (original.sender,)), ("original.to", original.to)]
        groups += [("original.cc", original.cc)]
    for field, mailboxes in groups:
        for mailbox in mailboxes:
            if mailbox.key != scenario.sender.key and mailbox.key not in known:
                reader.fail(field, "training.error_no_person", address=mailbox.address)


def parse_scenario(source_text: str, source_name: str) -> Scenario:
    """The scenario in ``source_text`` (TOML) of the file ``source_name`` ("x.toml").

    Raises:
        ScenarioError: the text is not TOML, or a field is missing, unknown or wrong;
            the message names the file and the field.
    """
    reader = _Reader(source_name)
    try:
        data = tomllib.loads(source_text)
    except tomllib.TOMLDecodeError as error:
        reader.fail("-", "training.error_toml", problem=error)
    reader.unknown(data, _TOP, "")
    action = reader.choice(data, "action", "action", ComposeAction)
    sender_table = reader.table(data, "sender", "sender")
    sender_name = reader.string(sender_table, "name", "sender.name", "")
    sender_address = reader.string(sender_table, "address", "sender.address")
    people = data.get("person", [])
    if not isinstance(people, list) or not people:
        reader.fail("person", "training.error_people")
    order = data.get("order", 1000)
    if not isinstance(order, int) or isinstance(order, bool):
        reader.fail("order", "training.error_int")
    original: Original | None = None
    if action is not ComposeAction.NEW:
        original = _original(reader, data)
    elif "original" in data:
        reader.fail("original", "training.error_original_new")
    scenario = Scenario(
        id=source_name.removesuffix(".toml"),
        title=reader.string(data, "title", "title"),
        story=reader.string(data, "story", "story"),
        order=order,
        action=action,
        sender=reader.mailbox(
            f'"{sender_name}" <{sender_address}>' if sender_name else sender_address,
            "sender.address",
        ),
        people=tuple(_person(reader, entry, i) for i, entry in enumerate(people)),
        original=original,
        draft=_draft(reader, data),
        policy=_policy(reader, data),
        answer=_answer(reader, data),
        phone=_phone(reader, data),
    )
    _check_people(reader, scenario)
    return scenario
