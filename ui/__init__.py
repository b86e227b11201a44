"""Streamlit widgets shared by the page scripts in app_pages/ (no SQL: they call stories and coding)."""
