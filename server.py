"""The web server: Streamlit serving app.py, plus the app's own route for the session cookie.

`changestories serve` runs `streamlit run server.py`; Streamlit finds the `st.App` below and
serves it with uvicorn (HTTP and WebSockets on one port), our route before its own.

POST /api/session  body: a session token that signing in just made. When it names a live
                   session, the answer sets it as an HttpOnly cookie (SameSite=Lax; Secure
                   when the request came over HTTPS, directly or through a proxy on this
                   machine) and the session is marked as kept by the browser.
DELETE /api/session the answer drops the cookie (signing out already revoked the token).

As it starts, the server loads the NER model, spaCy's tables and the served database's word
matrix on a thread of its own (`changestories.warmup`), so the first visit after a restart does
not wait for them.

Both need the header `X-Changestories: 1`, which a page of another site cannot send without
a CORS preflight this server never grants, and are refused when the Origin is another host.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from changestories.database import connect
from changestories.warmup import start_warm_up
from stories.db import resolve_db_path
from stories.trust.sessions import COOKIE_NAME, confirm_cookie, max_age_seconds

MAX_BODY = 200
LOCAL_PROXIES = ("127.0.0.1", "::1")


def _same_origin(request: Request) -> bool:
    if request.headers.get("x-changestories") != "1":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def _https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    client = request.client.host if request.client else ""
    return client in LOCAL_PROXIES and request.headers.get("x-forwarded-proto") == "https"


def _confirm(token: str) -> bool:
    db = connect(resolve_db_path())
    with contextlib.closing(db.conn):
        return confirm_cookie(db, token)


async def session_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    if request.method == "DELETE":
        response = Response(status_code=204)
        response.delete_cookie(COOKIE_NAME, path="/", secure=_https(request), httponly=True, samesite="lax")
        return response
    body = (await request.body())[:MAX_BODY].decode("ascii", "replace").strip()
    live = await run_in_threadpool(_confirm, body)
    if not live:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(COOKIE_NAME, body, max_age=max_age_seconds(), path="/", secure=_https(request),
                        httponly=True, samesite="lax")
    response.headers["Cache-Control"] = "no-store"
    return response


app = st.App("app.py", routes=[Route("/api/session", session_cookie, methods=["POST", "DELETE"])])
start_warm_up(resolve_db_path())  # the NER model, spaCy and the database's word matrix load while the server starts
