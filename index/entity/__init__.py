"""Entities from the corpus itself: mentions, spelling-insensitive keys, aliases and grouping."""

from index.entity.grouping import Entity, build_entities
from index.entity.keys import normalise, skeleton, slug
from index.entity.mentions import Mention, find_mentions

__all__ = ["Entity", "Mention", "build_entities", "find_mentions", "normalise", "skeleton", "slug"]
