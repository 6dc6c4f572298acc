"""Training mode: scenarios, scoring and the completion record (pure)."""
