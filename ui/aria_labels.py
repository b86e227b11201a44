"""Streamlit's own English aria-labels and tooltips, said and shown in the session's language.

Streamlit 1.67 writes a few words for screen readers in English with no setting: the sidebar
("Sidebar", "Expand sidebar", "Collapse sidebar"), the page navigation ("App pages"), the button
that opens a select ("Open"), the password field's "Show password", a number field's "Clear
value", the status widget's "Running..." and more (`ENGLISH`). A screen-reader user on a Danish page
heard them in English. `translate_labels(lang)`, mounted once per page by `ui.page.setup_page`, is a
components-v2 script (no iframe, nothing drawn, like `ui.form_enter`) running in the page's own
document: it replaces each known English `aria-label` and `title` by the catalog's words (and an
aria-label Streamlit copied from a widget's Markdown label by its plain text), and a
MutationObserver keeps doing so as Streamlit redraws (a label React sets again is translated
again). It changes the words a screen reader says and a tooltip shows; it hides nothing. The
English original is kept on the element (`data-cs-en-<attribute>`), so switching language
translates from it again.
"""

from __future__ import annotations

import streamlit as st

from stories.i18n import t

# Streamlit's English (its frontend bundle, 1.67) -> the catalog key of the app's words.
ENGLISH = {
    "Sidebar": "a11y.sidebar",
    "Expand sidebar": "a11y.expand_sidebar",
    "Collapse sidebar": "a11y.collapse_sidebar",
    "App pages": "a11y.app_pages",
    "Open": "a11y.open",
    "Close": "a11y.close",
    "Clear all": "a11y.clear_all",
    "Clear value": "a11y.clear_value",
    "Selectbox options": "a11y.options",
    "Selected values": "a11y.selected",
    "Show password": "a11y.show_password",
    "Hide password": "a11y.hide_password",
    "Running...": "a11y.running",
    "Stop script": "a11y.stop",
    "Main menu": "a11y.main_menu",
    "Increment": "a11y.increment",
    "Decrement": "a11y.decrement",
    "Scroll tabs left": "a11y.tabs_left",
    "Scroll tabs right": "a11y.tabs_right",
    "Notifications": "a11y.notifications",
    "Navigate to home page": "a11y.home",
    "Markdown content": "a11y.text",
}
# Labels Streamlit makes of English words around the element's own name ("Remove Huset", "Farve color
# picker"): (what comes before the name, what comes after it) -> the catalog's words, with {name}.
AROUND = {("Remove ", ""): "a11y.remove", ("", " color picker"): "a11y.color_picker"}

_JS = r"""
export default function (component) {
  const state = (window.__changestoriesLabels = window.__changestoriesLabels || {});
  state.words = component.data.words;
  state.around = component.data.around;
  const ATTRIBUTES = ['aria-label', 'title'];
  const said = (english) => {
    if (Object.prototype.hasOwnProperty.call(state.words, english)) return state.words[english];
    for (const [before, after, own] of state.around) {
      if (english.length > before.length + after.length && english.startsWith(before) && english.endsWith(after))
        return own.replace('{name}', english.slice(before.length, english.length - after.length));
    }
    return null;
  };
  // A widget's label is its aria-label as written, Markdown and all (":blue[■] Huset", "Nord\\*vest"):
  // a screen reader says the text, without colour marks, icons, symbols only drawn, or escapes.
  const plain = (label) => label
    .replace(/:material\/[a-z0-9_]+:/g, '')
    .replace(/:[a-z]+(-background)?\[([^\]]*)\]/g, (_, bg, inner) => (/[\p{L}\p{N}]/u.test(inner) ? inner : ''))
    .replace(/\\([\\`*_{}\[\]()#+\-.!|~$:=<>])/g, '$1')
    .replace(/\s+/g, ' ').trim();
  const translate = (el, attribute) => {
    const value = el.getAttribute(attribute);
    if (value === null) return;
    const keep = 'data-cs-en-' + attribute, done = 'data-cs-said-' + attribute;
    // Our own last word: translate again from the kept English (the language may have changed).
    const english = value === el.getAttribute(done) ? el.getAttribute(keep) : value;
    if (english === null) return;
    let words = said(english);
    if (words === null && attribute === 'aria-label' && plain(english) !== english && plain(english)) words = plain(english);
    if (words === null) return;
    el.setAttribute(keep, english);
    el.setAttribute(done, words);
    if (value !== words) el.setAttribute(attribute, words);
  };
  const sweep = (root) => {
    for (const attribute of ATTRIBUTES) {
      if (root.hasAttribute && root.hasAttribute(attribute)) translate(root, attribute);
      for (const el of root.querySelectorAll('[' + attribute + ']')) translate(el, attribute);
    }
  };
  sweep(document.body);
  if (state.observer) return;
  state.observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') translate(record.target, record.attributeName);
      else for (const node of record.addedNodes) if (node.nodeType === 1) sweep(node);
    }
  });
  state.observer.observe(document.body, { subtree: true, childList: true, attributes: true,
                                          attributeFilter: ATTRIBUTES });
}
"""

_component = st.components.v2.component("changestories.aria_labels", js=_JS, isolate_styles=False)


def words(lang: str) -> dict:
    """What the script is given: each English label with the words said instead, and those around a name."""
    return {"words": {english: t(key, lang) for english, key in ENGLISH.items()},
            "around": [[before, after, t(key, lang)] for (before, after), key in AROUND.items()]}


def translate_labels(lang: str) -> None:
    """Mount the script (once per page, in the sidebar, drawing nothing) for the session's language."""
    with st.sidebar:
        _component(key="aria_labels", data=words(lang))
