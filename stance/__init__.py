"""Stance of a passage toward a claim: supports, contradicts or neither."""
