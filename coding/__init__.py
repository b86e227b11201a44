"""Codebooks, coding, agreement, NLP, themes and interchange for changestories."""
