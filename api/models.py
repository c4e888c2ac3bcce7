"""The models the app serves, set up from its settings (the stance engine reads nothing from the environment)."""

from __future__ import annotations

from pathlib import Path

from api.config import Settings
from stance.engine import WEIGHTS, EngineOptions, cascade_margin, configure, load_decision


def configure_models(settings: Settings) -> None:
    """Point the process-wide stance engine at the configured weights, threads and number formats."""
    weights = Path(settings.stance_weights) if settings.stance_weights else WEIGHTS
    if not (weights / "stance-delta.pt").is_file():
        raise FileNotFoundError(f"STANCE_WEIGHTS: {weights} holds no stance-delta.pt")
    student = Path(settings.stance_student) if settings.stance_student else None
    if student is not None:
        if not (student / "stance-delta.pt").is_file():
            raise FileNotFoundError(f"STANCE_STUDENT: {student} holds no stance-delta.pt")
        cascade_margin(load_decision(student), weights)  # at start, not at the first compare: a margin for these weights
    configure(EngineOptions(weights, settings.stance_threads, settings.bf16, settings.stance_int8, student))
