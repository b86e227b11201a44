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
    "No results", "Choose an option", "Choose options", "Choose or add an option", "Clear all", "Select all",
    "Selectbox options", "Remove an option first", "You can only select", "Add:", "No options to select",
    "Add an option", "Add options", "Choose or add options",
    # date input
    "YYYY/MM/DD", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY", "dd.mm.yyyy",
    # dataframe / table toolbar
    "Download as CSV", "Search", "Fullscreen", "Close fullscreen", "Show/hide columns", "Copy to clipboard",
    # text input / text area instructions
    "Press Enter to apply", "Press Enter to submit form", "Press ⌘+Enter to apply", "Press Ctrl+Enter to apply",
    "Press ⌘+Enter to submit form", "Press Ctrl+Enter to submit form", "Ctrl+Enter", "⌘+Enter", "Invalid input.",
    "Show password", "Hide password",
    # number input
    "Number is above the allowed range", "Number is below the allowed range", "Number is outside the allowed range",
    # status widget, main menu, sidebar
    "Running...", "Connecting", "Please wait", "Rerun", "Clear caches", "Deploy", "Settings", "Record a screencast",
    "Collapse sidebar", "Expand sidebar", "View more", "View less", "Made with Streamlit",
    # aria-labels and icon names found on the app's pages (bench/english_strings.py)
    "Sidebar", "App pages", "Open", "Link to heading", "Help for", "Choose date", "Remove", "Page not found",
    "Clear value", "Clear date", "Clear entry", "Increment", "Decrement", "Scroll tabs left", "Scroll tabs right",
    "color picker", "Main menu", "Close", "Stop script", "Selected values", "Notifications", "Navigate to home page",
    "Markdown content",
    "keyboard_arrow_right", "keyboard_arrow_down", "visibility", "upload",
)

# aria-labels that Streamlit 1.67 writes in English with no setting and that the app cannot make Danish.
# None left: `ui.aria_labels` says every one the pages show in the session's language (the sidebar's
# "Sidebar", "Expand sidebar" / "Collapse sidebar", the navigation's "App pages", a select's "Open", the
# password field's "Show password" / "Hide password", a number field's "Clear value", "Increment",
# "Decrement" …). Kept as a list (empty) so the bench (bench.english_strings) and the walks still report
# apart any label Streamlit adds that nothing can change.
UNCHANGEABLE_ARIA_LABELS: tuple[str, ...] = ()

# What "visible text" means (ARCHITECTURE.md, "Danish everywhere"): the text of every text node
# whose element the browser renders (`checkVisibility`), except the names of Material Symbols
# icons (a span with data-testid="stIconMaterial" drawn in the "Material Symbols" font shows a
# glyph, not the word "keyboard_arrow_down"), plus the placeholder and title of rendered elements;
# aria-labels of rendered elements are collected apart (what a screen reader says). Each text node
# and attribute is one piece.
VISIBLE_TEXT_JS = """() => {
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  const icon = (el) => { const span = el.closest('[data-testid="stIconMaterial"]');
    return span !== null && /Material Symbols/.test(getComputedStyle(span).fontFamily); };
  const text = [], aria = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, piece = node.textContent.trim();
    if (!el || !piece || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (shown(el) && !icon(el)) text.push(piece);
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
    if (!shown(el)) continue;
    for (const a of ['placeholder', 'title']) { const v = (el.getAttribute(a) || '').trim(); if (v) text.push(v); }
    const label = (el.getAttribute('aria-label') || '').trim(); if (label) aria.push(label);
  }
  return { text, aria };
}"""


def english_in(pieces: list[str], strings=STREAMLIT_ENGLISH, *, labels: bool = False) -> list[str]:
    """The strings of `strings` that Streamlit wrote into `pieces` (text nodes and attributes).

    A phrase of several words ("Drag and drop file here") is found anywhere in a piece, as whole
    words. A single word is Streamlit's only when it is the whole piece ("Search", "Open",
    "visibility"), or, in an aria-label (`labels`), the start of one followed by the element's own
    name ("Remove Huset", "Fullscreen: Scan"): so "Search Institute" in a codebook's description is
    content, not Streamlit's toolbar.
    """
    import re

    found = []
    for s in strings:
        if " " in s or not s.isalpha():
            pattern = re.compile(r"(?<!\w)" + re.escape(s) + r"(?!\w)")
            hit = any(pattern.search(p) for p in pieces)
        else:
            hit = any(p == s or (labels and re.match(re.escape(s) + r"[ :]", p)) for p in pieces)
        if hit:
            found.append(s)
    return found
