"""The text side: what an article is before it reaches a search engine.

Language detection (`language`), the document model (`documents`), metadata read from the text (`metadata`),
quotable passages with exact offsets (`passages`), entities found in the corpus (`entity`) and the e5 embeddings
(`embedding`). Pure text processing: never imports `elasticsearch`, `index`, `api`, `stance` or `training`.
"""
