"""REFI-QDA interchange: .qdc codebooks and .qdpx projects, in and out."""
