"""Every query the product runs, in one package with one small vocabulary.

Functions take the session as a keyword argument and never commit: the caller owns the
transaction. One module per table family: `mentions` (insert, search, counts, top), `sources`
(cursor and health). Other modules join as the product grows.
"""
