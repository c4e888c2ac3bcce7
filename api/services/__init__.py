"""Use cases behind the routes and the CLI: compare a claim, judge passages, find entities, read and write
documents, report health. The only part of `api` that reaches the archive (`index`) and the models (`stance`)."""
