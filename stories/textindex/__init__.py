"""The text index every stored story gets: sentences, lemmas, word counts and lexicon sentiment."""
