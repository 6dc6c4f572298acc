"""OAuth 2.0 sign-in shared by every account kind: tokens, their cache, the interactive steps."""
