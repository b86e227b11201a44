"""Codebooks: the code tree, presets and editing."""
