"""The `changestories` command line: `cli.main` and one module per command group."""
