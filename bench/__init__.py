"""The benchmark of the themes work: `make bench` (python -m bench.run)."""
