"""Strings about room on disk: files that cannot be written for want of space, drafts."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "file.no_space": (
        "There is not enough space to write {path}: the disk is full, or a size limit or "
        "quota was reached ({reason}). Nothing was written; free some space and try again."
    ),
    "drafts.too_large": (
        "The draft is too large to keep: a draft may hold at most {limit} MiB of text. "
        "The last saved version stands."
    ),
    "drafts.too_large_to_open": "it is larger than any draft smime-guard writes ({limit} MiB)",
}
