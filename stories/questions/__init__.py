"""Questions about stories: the install's question library, forms assembled from it, and answers."""
