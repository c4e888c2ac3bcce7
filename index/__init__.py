"""The search side: everything that talks to Elasticsearch.

Client (`client`), index names and aliases (`names`), settings and mappings (`mappings`, `data/`), every request
body (`queries`, pure functions), reads (`repository.Archive`), writes (`writer`: single documents in place;
`ingest`: whole builds behind an alias swap), stored forms (`sources`) and errors for the API (`errors`).
May import `text` (what a passage and a document are) and `elasticsearch`; never `api`, `stance` or `training`.
"""
