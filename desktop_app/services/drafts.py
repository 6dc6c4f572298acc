"""Unsent drafts on disk: JSON sealed to the user's own certificate, written atomically.

With a certificate of the user's own a draft is serialised, encrypted in a CMS
AuthEnvelopedData (AES-256-GCM, so a changed file fails its integrity check) for that
certificate, and only then written, to a temporary file that is synced and renamed over
the old one. Without one, a store made with no identity writes plain JSON (owner-only)
and the compose window writes there only after the user agreed to it, told that the
draft stays unencrypted on this computer; it never autosaves there. A file that cannot
be opened is renamed ``.damaged`` and reported; it is never deleted, and never stops
the others from being offered back.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.services.files import replace_file

if TYPE_CHECKING:
    from desktop_app.core.identity import Identity

log = logging.getLogger(__name__)

DRAFTS_FOLDER: Final = "drafts"
SUFFIX: Final = ".p7m"
PLAIN_SUFFIX: Final = ".json"  # a draft the user chose to keep unencrypted
DAMAGED_SUFFIX: Final = ".damaged"
FORMAT: Final = 1
_MIB: Final = 1024 * 1024
# The most one sealed draft may take, at save and at recovery alike, so that whatever
# autosave wrote comes back after a crash. A draft holds text and the paths of its
# attachments, never the attachments: 128 MiB of text is beyond any message a mail server
# takes (Exchange at most 150 MB, attachments included), and the bound keeps a stray file
# in the folder from filling memory when it is read.
MAX_DRAFT_BYTES: Final = 128 * _MIB


class DraftError(UserFacingError):
    """A draft cannot be saved or read."""


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """One draft as the compose window had it.

    Recipients are kept as the user typed them (``to``, ``cc``, ``bcc``: token texts;
    ``typing``: per field, text not yet turned into tokens). ``encrypt`` is None when the
    user left the Encrypt toggle to the window's own choice. ``kept``: the user saved it
    (Save draft); otherwise it is an autosave, offered back only after a crash.
    """

    draft_id: str
    saved: datetime
    action: str = "new"
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    typing: tuple[str, str, str] = ("", "", "")
    subject: str = ""
    body: str = ""
    attachments: tuple[str, ...] = ()
    encrypt: bool | None = None
    sign: bool = True
    quote: str | None = None
    original_encrypted: bool = False
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    kept: bool = False

    def content(self) -> dict[str, Any]:
        """Everything but the id and the time: equal content needs no new save."""
        values = asdict(self)
        del values["draft_id"], values["saved"]
        return values

    def to_json(self) -> bytes:
        values = asdict(self)
        values["saved"] = self.saved.isoformat()
        return json.dumps({"format": FORMAT, "draft": values}, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> DraftRecord:
        """Raises ValueError, KeyError or TypeError when ``data`` is not a draft."""
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError("unknown draft format")
        values = dict(document["draft"])
        strings = ("to", "cc", "bcc", "typing", "attachments", "references")
        for name in strings:
            values[name] = tuple(str(item) for item in values.get(name, ()))
        if len(values.get("typing", ())) != 3:
            values["typing"] = ("", "", "")
        values["saved"] = datetime.fromisoformat(values["saved"])
        values["kept"] = values.get("kept") is True
        record = cls(**values)
        if not isinstance(record.draft_id, str) or not isinstance(record.body, str):
            raise TypeError("draft fields of the wrong type")
        return record


def new_draft_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class DamagedDraft:
    """A draft file that could not be opened, now at ``aside``; ``message`` says why."""

    aside: Path
    message: str


@dataclass(frozen=True, slots=True)
class Recovery:
    """What was found in the drafts folder on start, oldest draft first."""

    drafts: tuple[DraftRecord, ...] = ()
    damaged: tuple[DamagedDraft, ...] = field(default=())
    unencrypted: frozenset[str] = frozenset()  # ids of drafts kept unencrypted by choice


def write_owner_only(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a synced temporary file and a rename (owner-only)."""
    replace_file(path, data, private=True)


class DraftStore:
    """The drafts folder of one home, sealed to the identity ``identity()`` returns.

    ``identity`` is called on first use (it loads the certificate code) and remembered.
    Without one (None) drafts are written unencrypted: callers ask the user first.
    Methods may be called from the background helper and from the GUI thread; a lock
    keeps a save from recreating a draft that was just deleted.
    """

    def __init__(self, folder: Path, identity: Callable[[], Identity] | None) -> None:
        self.folder = folder
        self._identity_source = identity
        self._identity: Identity | None = None
        self._lock = threading.Lock()
        self._finished: set[str] = set()

    @property
    def sealed(self) -> bool:
        """True when drafts are encrypted to the user's own certificate."""
        return self._identity_source is not None

    def _own(self) -> Identity:
        if self._identity is None:
            if self._identity_source is None:
                raise DraftError(text("drafts.unreadable"))
            self._identity = self._identity_source()
        return self._identity

    def path(self, draft_id: str) -> Path:
        return self.folder / f"{draft_id}{SUFFIX if self.sealed else PLAIN_SUFFIX}"

    def seal(self, record: DraftRecord) -> bytes:
        """The bytes written for ``record``: sealed, or plain JSON in an unsealed store."""
        if not self.sealed:
            return record.to_json()
        from desktop_app.core.smime.algorithms import ContentCipher
        from desktop_app.core.smime.envelope_seal import seal_envelope
        from desktop_app.core.smime.recipient_seal import EnvelopeRecipient

        identity = self._own()
        return seal_envelope(
            record.to_json(), [EnvelopeRecipient(identity.cert)], ContentCipher.AES256_GCM
        )

    def open(self, der: bytes) -> DraftRecord:
        """The draft sealed in ``der``.

        Raises:
            DraftError: it cannot be decrypted with our key, or holds no draft.
        """
        from desktop_app.core.smime.envelope_open import open_envelope

        identity = self._own()
        try:
            opened = open_envelope(der, identity.cert, identity.key)
        except UserFacingError:
            raise DraftError(text("drafts.unreadable")) from None
        try:
            return DraftRecord.from_json(opened.content)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise DraftError(text("drafts.not_a_draft")) from None

    def save(self, record: DraftRecord, *, final: bool = False) -> Path | None:
        """Seal and write ``record``; None when its draft was sent, discarded or closed
        meanwhile. ``final``: the window is closing; no autosave still under way may
        write over this (until ``resume``).

        Raises:
            DraftError: the identity cannot be loaded or the folder cannot be written.
        """
        sealed = self.seal(record)
        if len(sealed) > MAX_DRAFT_BYTES:
            # Written, it would be set aside at recovery: keep the last version instead.
            raise DraftError(text("drafts.too_large", limit=MAX_DRAFT_BYTES // _MIB))
        path = self.path(record.draft_id)
        with self._lock:
            if record.draft_id in self._finished:
                return None
            if final:
                self._finished.add(record.draft_id)
            try:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_owner_only(path, sealed)
            except OSError as error:
                reason = error.strerror or type(error).__name__
                raise DraftError(
                    text("drafts.unwritable", path=self.folder, reason=reason)
                ) from None
        return path

    def delete(self, draft_id: str) -> None:
        """Remove a sent or discarded draft; a save still under way will not bring it back."""
        with self._lock:
            self._finished.add(draft_id)
            try:
                for suffix in (SUFFIX, PLAIN_SUFFIX):
                    (self.folder / f"{draft_id}{suffix}").unlink(missing_ok=True)
            except OSError as error:
                log.warning("a draft file could not be removed: %s", type(error).__name__)

    def resume(self, draft_id: str) -> None:
        """Let a restored draft be saved again under its id."""
        with self._lock:
            self._finished.discard(draft_id)

    def _set_aside(self, path: Path, reason: str) -> DamagedDraft:
        aside = path.with_name(path.name + DAMAGED_SUFFIX)
        try:
            os.replace(path, aside)
        except OSError:
            aside = path
        message = text("drafts.damaged", name=path.name, reason=reason, aside=aside.name)
        return DamagedDraft(aside, message)

    def recover(self) -> Recovery:
        """The drafts left in the folder (after a crash), and the damaged ones set aside."""
        suffixes = (SUFFIX, PLAIN_SUFFIX) if self.sealed else (PLAIN_SUFFIX,)
        try:
            paths = sorted(p for suffix in suffixes for p in self.folder.glob(f"*{suffix}"))
        except OSError:
            return Recovery()
        drafts: list[DraftRecord] = []
        damaged: list[DamagedDraft] = []
        unencrypted: set[str] = set()
        for path in paths:
            plain = path.suffix == PLAIN_SUFFIX
            try:
                if path.stat().st_size > MAX_DRAFT_BYTES:
                    limit = MAX_DRAFT_BYTES // _MIB
                    raise DraftError(text("drafts.too_large_to_open", limit=limit))
                record = self._read(path.read_bytes(), plain=plain)
                if record.draft_id != path.name.removesuffix(path.suffix):
                    raise DraftError(text("drafts.not_a_draft"))
            except DraftError as error:
                damaged.append(self._set_aside(path, error.message))
                continue
            except OSError as error:
                damaged.append(self._set_aside(path, error.strerror or type(error).__name__))
                continue
            drafts.append(record)
            if plain:
                unencrypted.add(record.draft_id)
        for partial in self.folder.glob(f".*{SUFFIX}.partial"):
            partial.unlink(missing_ok=True)  # a write cut short; its previous version stands
        drafts.sort(key=lambda record: record.saved)
        return Recovery(tuple(drafts), tuple(damaged), frozenset(unencrypted))

    def _read(self, data: bytes, *, plain: bool) -> DraftRecord:
        if not plain:
            return self.open(data)
        try:
            return DraftRecord.from_json(data)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise DraftError(text("drafts.not_a_draft")) from None
