"""The admin-published certificate bundle as a ``CertificateSource``.

Fetched from a URL (HTTPS, with ``ETag``/``If-Modified-Since``) or a file path at most
every ``REFRESH``; accepted only when its signer chains to the pinned admin certificate
and it is newer than the bundle held. A refused bundle keeps the one held, with one
warning (logged once, kept in the state file, shown by ``directory test``).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from desktop_app.core.bundles.manifest import BundleError, Manifest
from desktop_app.core.bundles.signing import open_bundle
from desktop_app.core.errors import UserFacingError
from desktop_app.core.messages import text
from desktop_app.core.pki.certificates import load_certificates
from desktop_app.services.certificates.config import DirectoryConfigError, SourceConfig
from desktop_app.services.certificates.source import FindingKind, PublishedValue, SourceFinding

log = logging.getLogger(__name__)

REFRESH = timedelta(hours=4)
STALE_AFTER = timedelta(days=90)
FUTURE_SLACK = timedelta(days=1)
FETCH_TIMEOUT = 10.0
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
BUNDLE_FILE, STATE_FILE = "bundle.p7m", "state.json"
ATTRIBUTE = "bundle"


def bundle_folder(home: Path, name: str) -> Path:
    return home / "bundles" / name


def check_bundle_url(url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise DirectoryConfigError(text("bundle.needs_https", url=url))


def read_signer(path: str) -> tuple[x509.Certificate, ...]:
    try:
        return load_certificates(Path(path).read_bytes(), source_name=path)
    except OSError as error:
        raise DirectoryConfigError(
            text("bundle.bad_signer_file", path=path, reason=error.strerror or error)
        ) from None
    except UserFacingError as error:
        raise DirectoryConfigError(
            text("bundle.bad_signer_file", path=path, reason=error.message)
        ) from None


class BundleSource:
    """One configured bundle; the accepted copy and its state live in ``home/bundles/NAME``."""

    def __init__(
        self,
        config: SourceConfig,
        home: Path,
        clock: Callable[[], datetime],
        *,
        timeout: float = FETCH_TIMEOUT,
    ) -> None:
        self._config = config
        self._folder = bundle_folder(home, config.name)
        self._clock = clock
        self._timeout = timeout
        self._held: Manifest | None = None
        self._index: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return self._config.label

    # -- state -----------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        try:
            state = json.loads((self._folder / STATE_FILE).read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save_state(self, state: dict[str, Any]) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        partial = self._folder / (STATE_FILE + ".partial")
        partial.write_text(json.dumps(state, indent=2), encoding="utf-8")
        partial.replace(self._folder / STATE_FILE)

    @property
    def warning(self) -> str | None:
        warning = self._state().get("warning")
        return warning if isinstance(warning, str) else None

    def held(self) -> Manifest | None:
        """The bundle accepted last (checked again against the pin), or None."""
        if self._held is None:
            state = self._state()
            try:
                data = (self._folder / BUNDLE_FILE).read_bytes()
                accepted = datetime.fromisoformat(state["accepted"])
                self._held = open_bundle(data, self._pinned(), accepted)
            except (OSError, KeyError, TypeError, ValueError, UserFacingError):
                return None
        return self._held

    def _pinned(self) -> tuple[x509.Certificate, ...]:
        assert self._config.signer is not None
        return read_signer(self._config.signer)

    # -- fetching --------------------------------------------------------------------------

    def _fetch(self, state: dict[str, Any]) -> tuple[bytes | None, dict[str, str]]:
        """The bundle offered now, or None when it is unchanged (HTTP 304)."""
        config = self._config
        if config.path:
            try:
                with open(config.path, "rb") as file:
                    return file.read(MAX_BUNDLE_BYTES + 1), {}
            except OSError as error:
                raise BundleError(
                    text("bundle.fetch_failed", name=config.name, reason=error.strerror or error)
                ) from None
        assert config.url is not None
        check_bundle_url(config.url)
        import requests

        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = str(state["etag"])
        if state.get("last_modified"):
            headers["If-Modified-Since"] = str(state["last_modified"])
        try:
            response = requests.get(
                config.url,
                headers=headers,
                timeout=self._timeout,
                verify=config.ca_file or True,
            )
        except requests.RequestException as error:
            reason = type(error).__name__
            raise BundleError(
                text("bundle.fetch_failed", name=config.name, reason=reason)
            ) from None
        if response.status_code == 304:
            return None, {}
        if response.status_code != 200:
            reason = f"HTTP {response.status_code}"
            raise BundleError(text("bundle.fetch_failed", name=config.name, reason=reason))
        kept = {
            "etag": response.headers.get("ETag", ""),
            "last_modified": response.headers.get("Last-Modified", ""),
        }
        return response.content[: MAX_BUNDLE_BYTES + 1], kept

    def _judged(self, data: bytes, now: datetime) -> Manifest:
        manifest = open_bundle(data, self._pinned(), now)
        if manifest.exported > now + FUTURE_SLACK:
            raise BundleError(text("bundle.future", exported=manifest.exported.isoformat()))
        if now - manifest.exported > STALE_AFTER:
            raise BundleError(
                text(
                    "bundle.stale",
                    exported=manifest.exported.isoformat(),
                    days=STALE_AFTER.days,
                )
            )
        held = self.held()
        if held is not None and manifest.exported < held.exported:
            raise BundleError(
                text(
                    "bundle.rolled_back",
                    offered=manifest.exported.isoformat(),
                    held=held.exported.isoformat(),
                )
            )
        return manifest

    def refresh(self, *, force: bool = False) -> str | None:
        """Fetch and judge the bundle when due; the warning in force afterwards, if any."""
        state = self._state()
        now = self._clock()
        checked = state.get("checked")
        if not force and isinstance(checked, str):
            try:
                if now - datetime.fromisoformat(checked) < REFRESH:
                    return self.warning
            except ValueError:
                pass
        state["checked"] = now.isoformat()
        try:
            data, kept = self._fetch(state)
            if data is not None:
                manifest = self._judged(data, now)
                held = self.held()
                if held is None or manifest.exported > held.exported:
                    self._folder.mkdir(parents=True, exist_ok=True)
                    partial = self._folder / (BUNDLE_FILE + ".partial")
                    partial.write_bytes(data)
                    partial.replace(self._folder / BUNDLE_FILE)
                    state["accepted"] = now.isoformat()
                    self._held, self._index = manifest, None
                state.update(kept)
            state.pop("warning", None)
        except BundleError as error:
            held = self.held()
            if held is not None:
                message = text(
                    "bundle.refused_kept",
                    name=self._config.name,
                    held=held.exported.isoformat(),
                    reason=error.message,
                )
            else:
                message = text("bundle.refused_none", name=self._config.name, reason=error.message)
            if state.get("warning") != message:
                log.warning("%s", message)  # once per distinct refusal
            state["warning"] = message
        self._save_state(state)
        return self.warning

    # -- the port --------------------------------------------------------------------------

    def lookup(self, address_keys: Sequence[str]) -> Mapping[str, SourceFinding]:
        try:
            warning = self.refresh()
        except (OSError, DirectoryConfigError) as error:
            warning = str(getattr(error, "message", error))
        manifest = self.held()
        if manifest is None:
            reason = warning or text("bundle.none_held")
            return {
                key: SourceFinding(FindingKind.UNREACHABLE, self.label, failure=reason)
                for key in address_keys
            }
        if self._index is None:
            self._index = manifest.by_key()
        found: dict[str, SourceFinding] = {}
        for key in address_keys:
            entry = self._index.get(key)
            if entry is None:
                found[key] = SourceFinding(FindingKind.UNKNOWN, self.label)
                continue
            values = tuple(PublishedValue(ATTRIBUTE, der) for der in entry.certificates)
            found[key] = SourceFinding(
                FindingKind.PERSON, self.label, values, primary=entry.address
            )
        return found

    def test(self) -> None:
        warning = self.refresh(force=True)
        if warning is not None:
            raise BundleError(warning)
        if self.held() is None:
            raise BundleError(text("bundle.refused_none", name=self._config.name, reason="?"))

    def close(self) -> None:
        return None
