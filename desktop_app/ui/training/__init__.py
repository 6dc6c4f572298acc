"""The training window: lesson, scenarios in a sandboxed compose screen, feedback."""
