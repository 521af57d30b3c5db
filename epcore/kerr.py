"""Kerr bistability (Sec. IV, App. B of the paper)."""
