"""Thin Streamlit page scripts: widgets only; the work is done by `stories` and `coding`."""
