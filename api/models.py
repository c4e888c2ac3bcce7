"""The models the app serves, set up from its settings (the stance engine reads nothing from the environment)."""

from __future__ import annotations

import os
from pathlib import Path

from api.config import Settings
from stance.engine import WEIGHTS, EngineOptions, cascade_margin, configure, load_decision
from text.core_share import share_cores
from text.torch_thread import set_threads


def configure_models(settings: Settings, processes: int = 1) -> None:
    """Point the process-wide stance engine at the configured weights and number formats, and set the cores the
    process's torch work uses: STANCE_THREADS where set, else all of them, shared a forward pass at a time with the
    other workers where `processes` (gunicorn's workers) serve at once."""
    weights = Path(settings.stance_weights) if settings.stance_weights else WEIGHTS
    if not (weights / "stance-delta.pt").is_file():
        raise FileNotFoundError(f"STANCE_WEIGHTS: {weights} holds no stance-delta.pt")
    student = Path(settings.stance_student) if settings.stance_student else None
    if student is not None:
        if not (student / "stance-delta.pt").is_file():
            raise FileNotFoundError(f"STANCE_STUDENT: {student} holds no stance-delta.pt")
        cascade_margin(load_decision(student), weights)  # at start, not at the first compare: a margin for these weights
    if settings.stance_threads:
        set_threads(settings.stance_threads)
    # workers that serve at once take the cores a forward pass at a time (text.core_share)
    share_cores(len(os.sched_getaffinity(0)) if processes > 1 and not settings.stance_threads else 0)
    configure(EngineOptions(weights, settings.bf16, settings.stance_int8, student))
