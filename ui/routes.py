"""The two HTTP routes of sign-in sessions, mounted beside Streamlit by server.py (`st.App(routes=…)`).

A Streamlit script cannot set a cookie, so after a good password it sends the browser to
`/auth/session?t=<one-time token>&next=<the page>`; this route swaps the token for the HttpOnly session cookie
and sends the browser back. `/auth/signout?next=…` clears the cookie after the script has revoked the session
(the route itself revokes nothing: a link from another site could otherwise sign a user out). Both answer
303 to a same-origin path only (`sessions.safe_next`), never cached, with no Referer leaving the token.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from auth import sessions, users

SESSION_PATH = "/auth/session"
SIGNOUT_PATH = "/auth/signout"


def _redirect(request: Request) -> RedirectResponse:
    response = RedirectResponse(sessions.safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def open_session(request: Request) -> RedirectResponse:
    """Redeem the handoff token (once, from the address that signed in) and set the session cookie."""
    store = sessions.SessionStore(users.resolve_users_path())
    host = request.client.host if request.client else None
    cookie = store.redeem(request.query_params.get("t"), sessions.client_address(host))
    response = _redirect(request)
    if cookie is not None:
        response.set_cookie(
            sessions.COOKIE,
            cookie,
            max_age=int(sessions.ABSOLUTE),
            path="/",
            secure=_secure(request),
            httponly=True,
            samesite="lax",
        )
    return response


def close_session(request: Request) -> RedirectResponse:
    response = _redirect(request)
    response.delete_cookie(sessions.COOKIE, path="/", secure=_secure(request), httponly=True, samesite="lax")
    return response


# sync endpoints: Starlette runs them in its thread pool (they read and write small files)
ROUTES = [
    Route(SESSION_PATH, open_session, methods=["GET"]),
    Route(SIGNOUT_PATH, close_session, methods=["GET"]),
]
