"""Figures of the dicke chapter(s)."""
