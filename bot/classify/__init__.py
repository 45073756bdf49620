"""Classification: which team a mention is for, how it feels, and how urgent it is.

`service.MentionClassifier` is the one entry point the rest of Silta uses. Underneath, one
module per job: `text` (cleaning untrusted input), `context` (the company's own names and
phrases), `cues` (hand-written signals), `features` + `model` (a linear model over hashed
n-grams, serialised without pickle), `sentiment`, `language`, `urgency`, `train` (seed corpus
plus corrections) and `evaluate` (the published figures).
"""
