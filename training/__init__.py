"""Training the stance model (never imported by serving code; not shipped in the wheel).

The pair factory and the public sets (`factory`), packing a training bundle (`bundle`), the trainer (`train`,
writes `stance/weights/stance-delta.pt` and `stance.json`) and the held-out decision layer (`calibrate`, writes
`stance/weights/decision.json`). May import `stance` and `text`.
"""
