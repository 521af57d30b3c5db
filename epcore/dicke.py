"""Driven-dissipative Dicke model (Sec. V, App. C of the paper)."""
