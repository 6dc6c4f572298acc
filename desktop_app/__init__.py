"""smime-guard: a mail-compose safety checker for S/MIME."""

__version__ = "0.1.0"
