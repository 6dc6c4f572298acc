"""The text form of a lookup result (``exchange lookup``, ``directory lookup``): a line per
address with its lock, kind, status and reason, a line per certificate found, then the
members of a list, indented."""

from collections.abc import Callable
from typing import Any

MARK_OK, MARK_NOT_OK = "[locked]", "[OPEN]  "
INDENT = "    "


def result_lines(
    result: dict[str, Any], certificate_line: Callable[[dict[str, Any]], str], indent: str = ""
) -> list[str]:
    """The lines of one result as its ``--json`` form holds it; ``certificate_line`` words
    each certificate (the commands show different details of them)."""
    mark = MARK_OK if result["status"] == "ok" else MARK_NOT_OK
    shown = result["address"] or result.get("query", "")
    lines = [f"{indent}{mark} {shown}  {result['kind']}  {result['status']}  {result['reason']}"]
    lines += [f"{indent}{INDENT}{certificate_line(c)}" for c in result["certificates"]]
    for member in result["members"]:
        lines += result_lines(member, certificate_line, indent + INDENT)
    return lines
