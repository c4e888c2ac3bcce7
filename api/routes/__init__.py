"""HTTP routes: thin blueprints that validate, call a service and serialise. They import only `api` (schemas,
services, errors): never `index`, `text`, `stance` or `elasticsearch`."""
