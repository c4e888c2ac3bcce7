"""The stance labels, in the model's output order (defined once: the engine, the classifier and the API use them)."""

SUPPORTS, CONTRADICTS, NEITHER = "supports", "contradicts", "neither"
LABELS = (SUPPORTS, CONTRADICTS, NEITHER)
