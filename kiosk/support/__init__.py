"""Small helpers the core shares: private files, atomic writes, "did you mean"."""
