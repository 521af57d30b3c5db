"""Figures of the foundations chapter(s)."""
