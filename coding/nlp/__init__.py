"""Corpus-level language data for the theme views: stop words and the stories x lemmas matrix."""
