"""Demo mode: a home folder with its own CA, colleagues, inbox and outbox; no server needed."""
