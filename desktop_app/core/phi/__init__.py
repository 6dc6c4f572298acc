"""The PHI guard: finding patient details in a message before it leaves unprotected."""
