"""Figures of the kerr chapter(s)."""
