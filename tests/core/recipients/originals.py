"""The original messages that reply tests read, and whose own addresses they leave out."""

OWN = frozenset({"me@clinic.example"})


def eml(*headers: str, body: str = "Hello.\r\n", newline: str = "\r\n") -> bytes:
    return (newline.join(headers) + newline + newline + body).encode("utf-8")
