"""The application assembled: the one ordered list of migration sets, connecting, the full demo.

This is the only package besides `cli/` and `ui/` that imports both `stories` and `coding`;
`stories` stands alone below `coding`.
"""
