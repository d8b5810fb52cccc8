"""Linking person records across agencies, and grouping them into persons."""
