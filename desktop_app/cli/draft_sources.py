"""What ``check`` and ``seal`` share about a draft's address options."""

from desktop_app.core.recipients.addresses import Mailbox, parse_address_list


def address_field(values: list[str]) -> tuple[Mailbox, ...]:
    """The mailboxes of a repeatable address option (``--to``, ``--cc``, ``--bcc``)."""
    return tuple(mailbox for value in values for mailbox in parse_address_list(value))
