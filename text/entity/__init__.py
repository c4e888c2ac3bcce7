"""Entities from the corpus itself: mentions, spelling-insensitive keys, aliases and grouping."""

from text.entity.grouping import Entity, build_entities
from text.entity.keys import normalise, skeleton, slug
from text.entity.mentions import Mention, find_mentions

__all__ = ["Entity", "Mention", "build_entities", "find_mentions", "normalise", "skeleton", "slug"]
