"""Pure domain logic: no Qt, no network, no keyring; time, trust and store are parameters."""
