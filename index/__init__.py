"""Elasticsearch access, document model and ingest for the claim-comparison archive."""
