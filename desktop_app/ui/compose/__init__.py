"""The compose window: recipients with live locks, the status line, the send gate."""
