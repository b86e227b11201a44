"""Streamlit's own English texts, as its frontend bundle (streamlit/static/static/js, 1.67) writes
them: what a Danish page must never show. Built by grepping the bundle for the strings of the
widgets the app uses (file uploader, selects, date inputs, tables, text inputs, the status widget,
the sidebar and the main menu)."""

# Matched as whole words/phrases, case-sensitive, in the page's visible text and in the
# placeholder, title and aria-label of its visible elements.
STREAMLIT_ENGLISH = (
    # file uploader
    "Browse files", "Drag and drop file here", "Drag and drop files here", "per file", "Upload",
    # selectbox / multiselect
    "No results", "Choose an option", "Choose options", "Choose or add an option", "Clear all",
    "Selectbox options", "Remove an option first",
    # date input
    "YYYY/MM/DD", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY", "dd.mm.yyyy",
    # dataframe / table toolbar
    "Download as CSV", "Search", "Fullscreen", "Close fullscreen", "Show/hide columns", "Copy to clipboard",
    # text input / text area instructions
    "Press Enter to apply", "Press Enter to submit form", "Press ⌘+Enter to apply", "Press Ctrl+Enter to apply",
    "Show password", "Hide password",
    # status widget, main menu, sidebar
    "Running...", "Connecting", "Please wait", "Rerun", "Clear caches", "Deploy", "Settings", "Record a screencast",
    "Collapse sidebar", "Expand sidebar", "View more", "View less", "Made with Streamlit",
    # aria-labels and icon names found on the app's pages (bench/english_strings.py)
    "Sidebar", "App pages", "Open", "Link to heading", "Help for", "Choose date", "Remove", "Page not found",
    "keyboard_arrow_right", "keyboard_arrow_down", "visibility", "upload",
)
