"""The Streamlit entry: only the navigation over the pages in app_pages/.

Each page names the roles that see it (`public` pages need no sign-in).
"""

import streamlit as st

from app_pages.common import STAFF, page, visible_pages

pages = {
    "nav.section.collect": [
        page("app_pages/submit.py", "nav.submit", "✍️", roles=STAFF, default=True),
        page("app_pages/tell.py", "nav.tell", "💬", public=True),
    ],
    "nav.section.stories": [
        page("app_pages/browse.py", "nav.browse", "📚", roles=STAFF),
        page("app_pages/transfer.py", "nav.transfer", "⇅", roles=("admin", "staff", "evaluator")),
    ],
}

st.navigation(visible_pages(pages)).run()
