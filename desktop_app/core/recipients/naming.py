"""How people are named in one line of text: "Lee", "Lee and Dana", "Lee, Dana and 3 others".

A display name that looks like an address (it contains "@") is never shown in place of
the real address: ``"dana@partner.example" <lee@clinic.example>`` is lee@clinic.example.
"""

from collections.abc import Sequence

from desktop_app.core.messages import text
from desktop_app.core.recipients.addresses import Mailbox

NAMED_AT_MOST = 3  # more people than this are "A, B and N others"


def looks_like_address(name: str) -> bool:
    """True when a display name could be taken for an e-mail address."""
    return "@" in name


def shown_name(mailbox: Mailbox) -> str:
    """The display name, or the address when there is none or the name looks like one."""
    name = mailbox.display_name.strip()
    if name and not looks_like_address(name):
        return name
    return mailbox.address


def name_list(mailboxes: Sequence[Mailbox], limit: int = NAMED_AT_MOST) -> str:
    """The people in ``mailboxes`` as one phrase; past ``limit``, the rest as a count."""
    names = [shown_name(mailbox) for mailbox in mailboxes]
    if len(names) <= 1:
        return "".join(names)
    if len(names) > limit:
        shown = names[: limit - 1]
        rest = len(names) - len(shown)
        return text("names.and_others", names=", ".join(shown), count=rest)
    return text("names.and", names=", ".join(names[:-1]), last=names[-1])
