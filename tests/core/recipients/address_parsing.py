"""Helpers for the address parsing tests: the keys a field gives, the error that refuses it."""

import pytest

from desktop_app.core.recipients.addresses import AddressError, parse_address_list


def keys(text: str) -> list[str]:
    return [mailbox.key for mailbox in parse_address_list(text)]


def refused(text: str) -> AddressError:
    with pytest.raises(AddressError) as caught:
        parse_address_list(text)
    return caught.value
