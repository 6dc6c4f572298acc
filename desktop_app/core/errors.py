"""Typed errors whose messages are safe to show to the user."""


class UserFacingError(Exception):
    """Base for every error the user may see; its message is plain, translated-ready text.

    Nothing else may escape core for bad input: a parser or loader that meets
    something it does not understand raises a subclass of this.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
