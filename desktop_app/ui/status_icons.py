"""How a status looks: the one map from each status a view shows to its icon (a file in
``resources/icons``) and to what that icon says to a screen reader.

Nothing here decides a status: a recipient's and a draft's come from the one rule
(``RecipientStatus``, ``MessageStatus``; the status line's state from core's
``status_wording``), a message's own protection from what was read of it. The views only
look their icon up here (the training's answers too).
"""

from enum import StrEnum

from desktop_app.core.messages import text
from desktop_app.core.recipients.status_wording import LineState


class TokenState(StrEnum):
    """How a recipient looks; also its token's ``tokenState`` style property."""

    COVERED = "covered"  # closed blue lock
    NOT_COVERED = "uncovered"  # open red lock
    CHECKING = "checking"  # grey "checking" mark
    INVALID = "invalid"  # warning triangle: the text is not an address


class MessageMark(StrEnum):
    """How a received or sent message was itself protected, as its row and banner show it."""

    ENCRYPTED = "encrypted"
    SIGNED = "signed"  # signed, and the signature verified
    CHECKING = "checking"  # signed, the signature not checked yet
    WARNING = "warning"  # a signature that did not verify, or a message that cannot be opened
    PLAIN = "plain"  # received with neither
    UNENCRYPTED = "unencrypted"  # sent without encryption


class AnswerMark(StrEnum):
    """How a trainee's answer looks: in the feedback after it, and beside its scenario."""

    CORRECT = "correct"  # the decision just made was right
    SOLVED = "solved"  # the scenario was answered right at some attempt
    MISSED = "missed"  # the decision was wrong, or every attempt so far was


TOKEN_ICONS = {
    TokenState.COVERED: "lock-closed",
    TokenState.NOT_COVERED: "lock-open",
    TokenState.CHECKING: "checking",
    TokenState.INVALID: "error",
}

LINE_ICONS = {
    LineState.ENCRYPTED: "lock-closed",
    LineState.BLOCKED: "lock-open",
    LineState.OFF: "lock-open",
    LineState.CHECKING: "checking",
    LineState.EMPTY: "lock-open",
}

MARK_ICONS = {
    MessageMark.ENCRYPTED: "lock-closed",
    MessageMark.SIGNED: "signed",
    MessageMark.CHECKING: "checking",
    MessageMark.WARNING: "warning",
    MessageMark.PLAIN: "mail",
    MessageMark.UNENCRYPTED: "lock-open",
}

ANSWER_ICONS = {
    AnswerMark.CORRECT: "signed",
    AnswerMark.SOLVED: "lock-closed",
    AnswerMark.MISSED: "warning",
}

_TOKEN_WORDS = {
    TokenState.COVERED: "a11y.lock_closed",
    TokenState.NOT_COVERED: "a11y.lock_open",
    TokenState.CHECKING: "a11y.checking",
    TokenState.INVALID: "a11y.invalid",
}

_LINE_WORDS = {
    LineState.ENCRYPTED: "a11y.status_icon_on",
    LineState.BLOCKED: "a11y.status_icon_off",
    LineState.OFF: "a11y.status_icon_off",
    LineState.CHECKING: "a11y.status_icon_off",
    LineState.EMPTY: "a11y.status_icon_off",
}


def judged_state(covered: bool) -> TokenState:
    """The look of a recipient (or a certificate) the one rule has judged."""
    return TokenState.COVERED if covered else TokenState.NOT_COVERED


def state_words(state: TokenState) -> str:
    """What a recipient's icon says, in words, for screen readers."""
    return text(_TOKEN_WORDS[state])


def line_words(state: LineState) -> str:
    """What the verdict's lock says, in words, for screen readers."""
    return text(_LINE_WORDS[state])
