"""Enter in a field of a form submits it, without Streamlit's English "Press Enter to submit form".

Streamlit 1.67 writes "Press Enter to submit form" under a focused field of a form that submits on
Enter, in English, with no setting; `st.form(..., enter_to_submit=False)` removes the line and Enter
with it. Where a person expects Enter to act (signing in, a camp code typed on a phone), the page
draws the form with `enter_form(key)`: `enter_to_submit=False`, plus a components-v2 component (no
iframe, nothing drawn) whose script listens for Enter in a one-line field inside that form and
presses the form's first submit button, as Streamlit's own Enter does (a pressed button commits
every field of the form first). Multi-line fields keep Enter for a new line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

# Installed once per page (the document keeps one listener); every render adds its form's container to
# the ones that listen. Only the container's class (`st-key-<key>`, the key cleaned as Streamlit cleans
# it) is looked up: no markup is written.
_JS = """
export default function (component) {
  const forms = (window.__changestoriesEnterForms = window.__changestoriesEnterForms || new Set());
  forms.add(component.data.form);
  if (window.__changestoriesEnterListener) return;
  window.__changestoriesEnterListener = true;
  document.addEventListener('keydown', (event) => {
    const field = event.target;
    if (event.key !== 'Enter' || event.isComposing || !(field instanceof HTMLInputElement)) return;
    for (const key of forms) {
      const form = field.closest('.st-key-' + key);
      if (!form) continue;
      const button = form.querySelector('[data-testid="stFormSubmitButton"] button:not([disabled])');
      if (!button) return;
      event.preventDefault();
      button.click();
      return;
    }
  }, true);
}
"""

_component = st.components.v2.component("changestories.form_enter", js=_JS, isolate_styles=False)


def css_key(key: str) -> str:
    """The class name part Streamlit gives an element with this key (`st-key-<part>`)."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


@contextmanager
def enter_form(key: str, **form_options) -> Iterator[None]:
    """`st.form(key, enter_to_submit=False, …)` in which Enter in a one-line field submits the form.

    The form sits in a container keyed `enter_<key>` (a form itself carries no key class in the
    page); the component follows the form inside that container (it cannot sit inside `st.form`)."""
    box = f"enter_{key}"
    with st.container(key=box):
        with st.form(key, enter_to_submit=False, **form_options):
            yield
        _component(key=f"form_enter_{css_key(key)}", data={"form": css_key(box)})
