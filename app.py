"""The Streamlit entry: only the navigation over the pages in app_pages/.

Each page names the roles that see it (`public` pages need no sign-in).
"""

import streamlit as st

from ui.page import STAFF, nav_title, page, rerun_scope, visible_pages

pages = {
    "overview.nav.section": [
        page("app_pages/overview.py", "overview.nav.title", ":material/dashboard:", landing=("admin",), roles=("admin",)),
    ],
    "nav.section.collect": [
        page("app_pages/submit.py", "nav.submit", ":material/edit_note:", roles=STAFF, landing=("staff",)),
        page("app_pages/tell.py", "nav.tell", ":material/chat:", public=True),
    ],
    "nav.section.stories": [
        page("app_pages/browse.py", "nav.browse", ":material/library_books:", roles=STAFF),
        page("app_pages/review.py", "nav.review", ":material/fact_check:", roles=STAFF),
        page("app_pages/transfer.py", "nav.transfer", ":material/sync_alt:", roles=("admin", "staff", "evaluator")),
    ],
    "nav.section.camps": [
        page("app_pages/camps.py", "nav.camps", ":material/local_fire_department:", roles=("admin", "facilitator"),
             landing=("facilitator",)),
        page("app_pages/wall.py", "nav.wall", ":material/tv:", roles=("admin", "facilitator")),
        page("app_pages/camp_results.py", "nav.camp_results", ":material/emoji_events:", roles=("admin", "facilitator")),
        page("app_pages/camp_join.py", "nav.camp_join", ":material/smartphone:", public=True),
        page("app_pages/camp_feedback.py", "nav.camp_feedback", ":material/forum:", public=True),
    ],
    "nav.section.msc": [
        page("app_pages/msc_panel.py", "nav.msc_panel", ":material/how_to_vote:"),
        page("app_pages/msc_feedback.py", "nav.msc_feedback", ":material/forum:"),
        page("app_pages/msc_monitor.py", "nav.msc_monitor", ":material/monitoring:"),
        page("app_pages/msc_processes.py", "nav.msc_processes", ":material/account_tree:", roles=("admin", "facilitator")),
        page("app_pages/msc_setup.py", "nav.msc_setup", ":material/category:", roles=("admin",)),
    ],
    "coding.nav.section": [
        page("app_pages/code.py", "coding.nav.code", ":material/sell:", roles=("admin", "staff", "evaluator"),
             landing=("evaluator",)),
        page("app_pages/codebook.py", "coding.nav.codebook", ":material/account_tree:", roles=("admin", "evaluator")),
        page("app_pages/agreement.py", "coding.nav.agreement", ":material/handshake:", roles=("admin", "staff", "evaluator")),
    ],
    "nav.section.themes": [
        page("app_pages/themes.py", "themes.nav.title", ":material/insights:"),
        page("app_pages/signifiers.py", "nav.signifiers", ":material/change_history:"),
        page("app_pages/patterns.py", "patterns.nav", ":material/scatter_plot:"),
    ],
    "trust.nav.section.admin": [
        page("app_pages/admin.py", "trust.nav.admin", ":material/admin_panel_settings:", roles=("admin",)),
        page("app_pages/questions.py", "qadmin.nav", ":material/quiz:", roles=("admin",)),
    ],
}

st.set_page_config(page_icon="📖")  # an emoji: a favicon the browser draws itself, no font host asked
with rerun_scope():  # one connection for the whole rerun, closed when it ends
    current = st.navigation(visible_pages(pages), expanded=True)
    # The short camp link http://HOST:8501/?camp=CODE, unless the start page is the camps page
    # itself (a facilitator's), which keeps the chosen camp in ?camp= too.
    if current.url_path == "" and st.query_params.get("camp") and current.title != nav_title("nav.camps"):
        st.switch_page("app_pages/camp_join.py", query_params={"camp": st.query_params["camp"]})
    current.run()
