"""The training-data factory: (claim, passage) pairs labelled by construction from public sentences (not the seeds)."""
