"""HTTP routes: thin blueprints that validate, call a service and serialise."""
