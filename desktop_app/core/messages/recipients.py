"""Strings about recipients: addresses, statuses, tokens and replies."""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # recipient status (the one rule)
    "status.ok": "A valid certificate is available: this recipient can read encrypted mail.",
    "status.no_certificate": (
        "No certificate is known for {address}: they could not read an encrypted message."
    ),
    "status.pending": "Still looking up a certificate for {address}.",
    "status.lookup_failed": "The certificate lookup for {address} failed: {failure}",
    "status.unresolved_legacy_dn": (
        "{address} is an internal Exchange address that has not been resolved to an e-mail "
        "address, so its certificate cannot be found."
    ),
    "status.list_ok": (
        "{count:p:The one member|All {count} members} of the list {address} can read "
        "encrypted mail."
    ),
    "status.list_uncovered": (
        "{count:p:The one member|{uncovered} of {count} members} of the list {address} "
        "cannot read encrypted mail: {names}"
    ),
    "status.list_empty": "The list {address} has no members that could be looked up.",
    "summary.no_recipients": "Add recipients to see if this message can be encrypted.",
    "summary.all_covered": (
        "{count:p:The recipient|All {count} recipients} can read encrypted mail."
    ),
    "summary.some_uncovered": (
        "{count:p:The recipient|{uncovered} of {count} recipients} cannot read encrypted mail."
    ),
    "notice.duplicate_recipient": (
        "{address} appears more than once; kept in {kept}, removed from {dropped}."
    ),
    "notice.no_recipients": "The message has no recipients.",
    "notice.sender_certificate_missing": (
        "You have no usable certificate of your own ({address}): your Sent Items copy of an "
        "encrypted message would be unreadable to you."
    ),
    "notice.key_changed": (
        "The certificate key for {address} has changed since you last wrote to them encrypted. "
        "Confirm with them that the new certificate is theirs."
    ),
    # addresses
    "address.bad_idn": "The domain “{domain}” is not a valid international domain name.",
    "address.empty": "No e-mail address was given.",
    "address.not_one": "Cannot read “{element}”: expected one address, found {count}.",
    "address.unexpected": "Cannot read “{element}”: unexpected “{found}”.",
    "address.unclosed": "Cannot read “{element}”: the “{found}” is never closed.",
    "address.line_break": "Cannot read “{element}”: it contains a line break ({code}).",
    "address.control": "Cannot read “{element}”: it contains the control character {code}.",
    "address.invisible": "Cannot read “{element}”: it contains the invisible character {code}.",
    "address.at_lookalike": (
        "Cannot read “{element}”: “{found}” ({code}) looks like “@” but is another character."
    ),
    "address.missing_separator": (
        "Cannot read “{element}”: “{found}” follows an address with no comma between them."
    ),
    "address.name_without_brackets": (
        "Cannot read “{element}”: put the address after a name in angle brackets, "
        "like “{name} <{address}>”."
    ),
    "address.not_an_address": "Cannot read “{element}”: “{name}” is not an e-mail address.",
    "address.unquoted_comma": (
        "Cannot read “{element}”: “{name}” is not an e-mail address. If it is part of the "
        "name, put the whole name in quotes, like “{suggestion}”."
    ),
    "address.name_control": (
        "Cannot read “{element}”: once decoded, the name contains the hidden character {code}."
    ),
    "address.empty_brackets": "Cannot read “{element}”: the angle brackets hold no address.",
    "address.route": "Cannot read “{element}”: source routes (“<@host:…>”) are not accepted.",
    "address.missing_at": "Cannot read “{element}”: “{found}” has no “@” and domain.",
    "address.missing_domain": "Cannot read “{element}”: “{found}” has no domain after the “@”.",
    "address.group_not_allowed": (
        "Cannot read “{element}”: a group (“Name: …;”) is not accepted here."
    ),
    "address.group_unclosed": (
        "Cannot read “{element}”: the group “{name}” is not closed with “;”."
    ),
    "address.domain_literal": (
        "Cannot read “{element}”: addresses with an IP address in brackets (“{found}”) are "
        "not accepted; use the domain name."
    ),
    "address.bad_legacy_dn": (
        "Cannot read “{element}”: “{found}” is not a valid Exchange internal address."
    ),
    "address.local_too_long": (
        "Cannot read “{element}”: the part before “@” is longer than 64 bytes."
    ),
    "address.empty_local": "Cannot read “{element}”: the part before “@” is empty.",
    "address.bad_local_char": "Cannot read “{element}”: “{found}” cannot be part of an address.",
    "address.bad_dots": (
        "Cannot read “{element}”: “{found}” starts or ends with a dot, or has two dots in a row."
    ),
    "address.single_label": (
        "Cannot read “{element}”: “{found}” is not a full domain name (it has no dot)."
    ),
    "address.numeric_domain": "Cannot read “{element}”: “{found}” is not a domain name.",
    "address.dot_lookalike": (
        "Cannot read “{element}”: the domain “{found}” contains a character that looks like a "
        "dot but is not one."
    ),
    "address.domain_too_long": (
        "Cannot read “{element}”: the domain is longer than 253 characters."
    ),
    "address.label_too_long": (
        "Cannot read “{element}”: the domain has a part longer than 63 characters (“{found}”)."
    ),
    "address.bad_domain_char": (
        "Cannot read “{element}”: “{found}” cannot be part of a domain name there."
    ),
    "address.lookalike_mixed": (
        "The domain “{domain}” ({ascii_domain}) mixes {scripts} letters in “{label}”, a common "
        "way to imitate another domain. Check the address with the recipient."
    ),
    "address.lookalike_whole_script": (
        "The domain “{domain}” ({ascii_domain}) is written in {script} letters that look like "
        "“{latin}”. Check the address with the recipient."
    ),
    "address.lookalike_latin": (
        "The domain “{domain}” ({ascii_domain}) uses “{char}”, which looks like “{looks_like}”. "
        "Check the address with the recipient."
    ),
    # replies
    "replies.no_from": (
        "This file is not an e-mail message this program can read: it has no From header."
    ),
    "replies.not_utf8": "The {header} header of this message is not readable text.",
    "replies.control": (
        "The {header} header of this message contains a line break or control character."
    ),
    "replies.bad_header": "The {header} header of this message cannot be read. {reason}",
    "status_line.encrypted": "Encrypted",
    "status_line.not_encrypted": "Not Encrypted",
    "status_line.checking": "Checking recipients' certificates…",
    "status_line.impossible": "Encryption is on, but not possible: {summary}",
    "status_line.required_impossible": "Encryption is required, but not possible: {summary}",
    "status_line.off": "Encryption is off. {summary}",
    "status_line.off_possible": "Encryption is off, though it is possible. {summary}",
    "token.with_words": "{name} · {words}",
    "token.x500_name": "{name} (X.500)",
    "token.ok": "can read encrypted mail",
    "token.no_certificate": "no certificate",
    "token.expired": "expired",
    "token.not_yet_valid": "not yet valid",
    "token.revoked": "revoked",
    "token.untrusted": "untrusted",
    "token.wrong_usage": "unusable certificate",
    "token.weak_key": "weak key",
    "token.unresolved": "unresolved",
    "token.checking": "checking…",
    "token.invalid": "invalid",
}
