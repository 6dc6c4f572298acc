"""Warnings for domains written to imitate another domain (IDN homograph attacks)."""

import unicodedata

import idna

from desktop_app.core.messages import text
from desktop_app.core.notices import Notice
from desktop_app.core.recipients.normalise import AddressKeyError, domain_key

_CODE = "lookalike_domain"
_COMMON = "Common"

# Script combinations that real domain names use together, as in Chromium's IDN display
# policy: Japanese, Chinese with Bopomofo and Korean each mix Han with their own scripts.
_ALLOWED_MIXES = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)
# Unicode names that do not start with their script's name.
_NAME_SCRIPTS = {"CJK": "Han", "IDEOGRAPHIC": "Han", "KANGXI": "Han"}
_WIDTH_PREFIXES = frozenset({"HALFWIDTH", "FULLWIDTH"})

# Letters that alone spell a Latin-looking label (Cyrillic "paypal"). A small hand
# list from Unicode's confusables data: only those that look the same in common fonts.
_WHOLE_SCRIPT_CONFUSABLES = {
    "Cyrillic": dict(zip("аьсԁеҽԍһіјкӏпорԛгѕуүѵԝѡх", "abcdeeghijklnopqrsyyvwwx", strict=True)),
    "Greek": dict(zip("ικνορτυχγ", "ikvoptuxy", strict=True)),
}
# Latin letters that pass for plain ASCII letters: U+0261 script g, U+0131 dotless i.
_LATIN_LOOKALIKES = dict(zip("ıȷɑɡɩɪʟɴʀʏᴀᴄᴅᴇᴋᴍᴏᴘᴛᴜᴠᴡᴢƅǀ", "ijagiilnryacdekmoptuvwzbl", strict=True))


def _script(char: str) -> str:
    """Approximate Unicode script of ``char``; digits, hyphens and marks are Common.

    The standard library has no Script property; the first word of the character's
    name is that script for every letter allowed in a domain name.
    """
    if char.isascii():
        return "Latin" if char.isalpha() else _COMMON
    if unicodedata.category(char)[0] != "L":
        return _COMMON
    words = unicodedata.name(char, "").split()
    if words and words[0] in _WIDTH_PREFIXES:
        words = words[1:]
    if not words:
        return _COMMON
    first = words[0].split("-")[0]  # KATAKANA-HIRAGANA PROLONGED SOUND MARK
    return _NAME_SCRIPTS.get(first, first.title())


def _scripts(label: str) -> frozenset[str]:
    return frozenset(_script(char) for char in label) - {_COMMON}


def _unicode_labels(domain: str) -> list[str]:
    try:
        ascii_domain = domain_key(domain)
    except AddressKeyError:
        return []
    labels: list[str] = []
    for label in ascii_domain.split("."):
        try:
            labels.append(idna.decode(label) if label.startswith("xn--") else label)
        except (idna.IDNAError, UnicodeError):
            labels.append(label)
    return labels


def _label_notice(label: str, shown: dict[str, str], tld_scripts: frozenset[str]) -> str | None:
    """Message for one suspicious label; ``shown`` names the domain for the message."""
    scripts = _scripts(label)
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_MIXES):
        names = " and ".join(sorted(scripts))
        return text("address.lookalike_mixed", label=label, scripts=names, **shown)
    if len(scripts) == 1:
        (script,) = scripts
        table = _WHOLE_SCRIPT_CONFUSABLES.get(script)
        letters = [char for char in label if _script(char) == script]
        # A Cyrillic label under a Cyrillic top-level domain (.рф) is what it looks like.
        if table and script not in tld_scripts and all(char in table for char in letters):
            latin = "".join(table.get(char, char) for char in label)
            return text(
                "address.lookalike_whole_script",
                label=label,
                script=script,
                latin=latin,
                **shown,
            )
    for char in label:
        if char in _LATIN_LOOKALIKES:
            return text(
                "address.lookalike_latin",
                char=char,
                looks_like=_LATIN_LOOKALIKES[char],
                **shown,
            )
    return None


def lookalike_notices(domain: str, address: str) -> tuple[Notice, ...]:
    """Notices for labels of ``domain`` that imitate other text; ``address`` is the key."""
    labels = _unicode_labels(domain)
    if not labels or all(label.isascii() for label in labels):
        return ()
    shown = {"domain": ".".join(labels), "ascii_domain": domain_key(domain)}
    tld_scripts = _scripts(labels[-1])
    notices: list[Notice] = []
    for label in labels:
        message = _label_notice(label, shown, tld_scripts)
        if message is not None:
            notices.append(Notice(code=_CODE, message=message, address=address))
    return tuple(notices)
