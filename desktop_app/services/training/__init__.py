"""Training mode: scenario files, their sandbox certificates, progress and export."""
