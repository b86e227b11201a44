"""The app's own file field, instead of `st.file_uploader`.

Streamlit 1.67's uploader has no setting for its texts: "Drag and drop file here", "Browse
files", "Limit 200MB per file • CSV, TXT", the "upload" icon name. This field is a custom
component (Streamlit's components v2, inline HTML and JavaScript, no iframe, no download)
with a Danish or English button, drop zone and limit line; the limit is the import limit of
`stories.limits` (50 MB). The browser checks type and size before it reads the file, reads it
(`FileReader`) and sends name and bytes (base64) as a one-rerun trigger value; Python checks
both again, keeps the file in the session and shows its name, size and a "remove" button.

Pages get the same shape `st.file_uploader` gave them: None, or an object with `.name` and
`.getvalue()`. Trigger values are not supported inside `st.form`, so the field is never in one.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import streamlit as st

from stories import formatting
from stories.limits import DEFAULT_LIMITS, MB
from ui.page import escape_markdown, lang, tr


@dataclass(frozen=True)
class ChosenFile:
    """A file chosen in a file field: its name and bytes."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


class FileRefused(ValueError):
    """A file the field does not take: too big, of another type, or not sent whole."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(key)


_HTML = """<div class="cs-file" role="group">
  <div class="cs-label"></div>
  <div class="cs-zone">
    <input type="file" class="cs-input" tabindex="-1" aria-hidden="true">
    <button type="button" class="cs-button"></button>
    <span class="cs-drop"></span>
  </div>
  <div class="cs-limit"></div>
  <div class="cs-problem" role="alert"></div>
</div>"""

_CSS = """
.cs-file { font-family: var(--st-font); color: var(--st-text-color); }
.cs-label { font-size: 0.875rem; margin-bottom: 0.25rem; }
.cs-zone { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; padding: 1rem;
  border-radius: var(--st-base-radius, 0.5rem); background: var(--st-secondary-background-color);
  border: 1px dashed transparent; }
.cs-zone.cs-over { border-color: var(--st-primary-color); }
.cs-input { display: none; }
.cs-button { font: inherit; padding: 0.4rem 0.9rem; cursor: pointer; color: var(--st-text-color);
  background: var(--st-background-color); border: 1px solid var(--st-border-color, #d5d5d9);
  border-radius: var(--st-button-radius, 0.5rem); }
.cs-button:hover, .cs-button:focus-visible { border-color: var(--st-primary-color); color: var(--st-primary-color); }
.cs-drop { font-size: 0.875rem; opacity: 0.8; }
.cs-limit { font-size: 0.8rem; opacity: 0.7; margin-top: 0.25rem; }
.cs-problem { font-size: 0.875rem; color: var(--st-red-color, #d33); margin-top: 0.25rem; }
.cs-problem:empty { display: none; }
"""

# Runs on every render with the texts and limits from Python (`data`); the root element is
# static HTML, so only text content is set here (never markup from data).
_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector('.cs-file');
  const input = root.querySelector('.cs-input');
  const button = root.querySelector('.cs-button');
  const zone = root.querySelector('.cs-zone');
  const problem = root.querySelector('.cs-problem');
  root.setAttribute('aria-label', data.label);
  root.querySelector('.cs-label').textContent = data.label;
  button.textContent = data.choose;
  root.querySelector('.cs-drop').textContent = data.drop;
  root.querySelector('.cs-limit').textContent = data.limit;
  input.accept = data.types.map((t) => '.' + t).join(',');
  const take = (file) => {
    problem.textContent = '';
    if (!file) return;
    const dot = file.name.lastIndexOf('.');
    const ext = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : '';
    if (data.types.length && !data.types.includes(ext)) { problem.textContent = data.wrongType; return; }
    if (file.size > data.maxBytes) { problem.textContent = data.tooBig; return; }
    problem.textContent = data.reading;
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      problem.textContent = '';
      setTriggerValue('file', { name: file.name, size: file.size, data: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => { problem.textContent = data.wrongType; };
    reader.readAsDataURL(file);
  };
  button.onclick = () => input.click();
  input.onchange = () => { take(input.files[0]); input.value = ''; };
  zone.ondragover = (e) => { e.preventDefault(); zone.classList.add('cs-over'); };
  zone.ondragleave = () => zone.classList.remove('cs-over');
  zone.ondrop = (e) => { e.preventDefault(); zone.classList.remove('cs-over'); take(e.dataTransfer.files[0]); };
}
"""

_component = st.components.v2.component("changestories.file_field", html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)  # in the page's DOM: its text is the page's text


def _types_text(types: tuple[str, ...]) -> str:
    return ", ".join(t.upper() for t in types)


def receive(payload: dict, types: tuple[str, ...], max_bytes: int) -> ChosenFile:
    """The file the browser sent, checked again here (the browser's checks are a courtesy)."""
    name = str(payload.get("name") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if types and extension not in types:
        raise FileRefused("widgets.upload.wrong_type", types=_types_text(types))
    encoded = payload.get("data")
    if not isinstance(encoded, str) or len(encoded) > (max_bytes // 3 + 1) * 4:
        raise FileRefused("widgets.upload.too_big", max=max_bytes // MB)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FileRefused("widgets.upload.wrong_type", types=_types_text(types)) from exc
    if len(data) > max_bytes:
        raise FileRefused("widgets.upload.too_big", max=max_bytes // MB)
    return ChosenFile(name=name, data=data)


def file_field(label: str, *, types: list[str] | tuple[str, ...], key: str,
               max_bytes: int = DEFAULT_LIMITS.file_bytes) -> ChosenFile | None:
    """A file field with `label`: the file chosen (kept in the session until removed), or None."""
    types = tuple(t.lower().lstrip(".") for t in types)
    chosen_key = f"{key}__chosen"
    st.session_state.setdefault(chosen_key, None)
    texts = {
        "label": label, "choose": tr("widgets.upload.choose"), "drop": tr("widgets.upload.drop"),
        "limit": tr("widgets.upload.limit", max=formatting.number(max_bytes // MB, lang()), types=_types_text(types)),
        "tooBig": tr("widgets.upload.too_big", max=max_bytes // MB),
        "wrongType": tr("widgets.upload.wrong_type", types=_types_text(types)),
        "reading": tr("widgets.upload.reading"), "types": list(types), "maxBytes": max_bytes,
    }
    result = _component(key=key, data=texts, on_file_change=lambda: None)
    payload = result.get("file")
    if isinstance(payload, dict):
        try:
            st.session_state[chosen_key] = receive(payload, types, max_bytes)
        except FileRefused as exc:
            st.session_state[chosen_key] = None
            st.error(tr(exc.key, **exc.params), icon="⚠️")
    chosen = st.session_state[chosen_key]
    if chosen is not None:
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(tr("widgets.upload.chosen", name=escape_markdown(chosen.name),
                        size=formatting.file_size(chosen.size, lang())))
        if right.button(tr("widgets.upload.remove"), key=f"{key}__remove"):
            st.session_state[chosen_key] = None
            st.rerun()
    return chosen
