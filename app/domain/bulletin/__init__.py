"""Bulletin files: front matter, the Facts section, parsing and writing."""
