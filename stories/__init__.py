"""Story records, storage, collection, camps and privacy for changestories."""
