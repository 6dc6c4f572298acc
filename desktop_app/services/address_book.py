"""Addresses to offer while typing a recipient: recent correspondents and the directory.

Read on the background helper. Recent correspondents are the recipients of what this
app put in the outbox folder (its JSON summaries hold addresses, never content), newest
first; the directory's are those the Exchange directory cache knows as mailboxes.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

RECENT_MESSAGES = 200  # summaries read, newest first
_SUMMARY_BYTES = 1 << 20  # a summary larger than this is not one of ours


def recent_correspondents(outbox_folder: Path) -> tuple[str, ...]:
    """Addresses this app sent to, most recent first, each once."""
    try:
        summaries = sorted(outbox_folder.glob("*.json"), reverse=True)[:RECENT_MESSAGES]
    except OSError:
        return ()
    found: dict[str, None] = {}
    for path in summaries:
        try:
            if path.stat().st_size > _SUMMARY_BYTES:
                continue
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # one unreadable summary costs its addresses, not the list
        if not isinstance(document, dict):
            continue
        for field in ("to", "cc", "bcc"):
            values = document.get(field)
            if isinstance(values, list):
                found.update((value, None) for value in values if isinstance(value, str))
    return tuple(found)


def directory_addresses(home: Path) -> tuple[str, ...]:
    """Mailboxes the Exchange directory answered for before (its cache), if set up."""
    from datetime import UTC, datetime, timedelta

    from desktop_app.services.exchange.cache import DirectoryCache

    try:
        cache = DirectoryCache(home, timedelta(0), lambda: datetime.now(UTC))
        return cache.known_addresses()
    except Exception as error:  # completion is a help: without it typing still works
        log.warning("directory cache not read for completion: %s", type(error).__name__)
        return ()
