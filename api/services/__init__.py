"""Use cases behind the routes: compare a claim, find entities, read documents."""
