"""The router with AppTest: demo mode only for the demo warehouse without users, the sign-in form (and its
throttle), the first-administrator notice, sign-out, the pages of each role, and no page running without the
router — opened by its URL, switched to, or run on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import users
from auth.identity import DEMO_USER, User
from tests.auth.conftest import (
    OTHER,
    OWN,
    PASSWORD,
    REPO,
    add_user,
    assert_no_exception,
    sign_in,
    store_for,
    texts,
)
from ui import messages

ALL_PAGES = [
    "pages/overview.py",
    "pages/staff.py",
    "pages/ict.py",
    "pages/innovation.py",
    "pages/plan.py",
    "pages/compare.py",
    "pages/upload.py",
    "pages/quality.py",
    "pages/note.py",
    "pages/catalog.py",
]


def shows_login(at: AppTest) -> bool:
    return [t.label for t in at.text_input] == [messages.LOGIN_NAME, messages.LOGIN_PASSWORD]


def shows_nothing_of_the_app(at: AppTest) -> None:
    assert not at.metric and not at.dataframe and not at.get("file_uploader") and not at.get("plotly_chart")
    assert not at.get("download_button") and not at.selectbox
    assert "imc_user" not in at.session_state


# ----------------------------------------------------------------------------------------- demo mode
@pytest.mark.parametrize("page", ALL_PAGES)
def test_demo_warehouse_without_users_is_the_demo_mode_with_a_banner_on_every_page(app, demo_copy, page):
    at = app(demo_copy, page).run()
    assert_no_exception(at)
    assert at.session_state["imc_user"] == DEMO_USER
    assert at.info[0].value == messages.DEMO_NOTICE, "the banner comes first, above the page"
    assert at.title[0].value == messages.PAGE_TITLES[page.removeprefix("pages/").removesuffix(".py")]


def test_a_user_ends_the_demo_mode(app, demo_copy):
    at = app(demo_copy).run()
    assert at.session_state["imc_user"] == DEMO_USER
    add_user(demo_copy, "admin", "admin")
    at.run()  # the same browser session, next click
    assert shows_login(at)
    shows_nothing_of_the_app(at)
    assert not any(messages.DEMO_NOTICE in i.value for i in at.info)


def test_a_real_warehouse_without_users_says_how_to_create_the_first_admin(app, real_copy):
    at = app(real_copy, "pages/staff.py").run()
    assert_no_exception(at)
    assert "python -m etl users add ИМЯ --role admin" in at.warning[0].value
    shows_nothing_of_the_app(at)
    assert not shows_login(at)


def test_a_broken_users_file_lets_nobody_in_even_on_the_demo(app, demo_copy):
    (demo_copy.parent / "users.json").write_text("{broken", encoding="utf-8")
    at = app(demo_copy).run()
    assert_no_exception(at)
    assert "Файл пользователей не удаётся прочитать" in at.error[0].value
    shows_nothing_of_the_app(at)


# ----------------------------------------------------------------------------------------- signing in
def test_sign_in_and_out(app, real_copy):
    add_user(real_copy, "ivanova", "director", inst_id=OWN)
    at = app(real_copy).run()
    assert shows_login(at)
    shows_nothing_of_the_app(at)
    at = sign_in(at, "ivanova", "не-тот-пароль")
    assert [e.value for e in at.error] == [messages.LOGIN_FAILED]
    assert "imc_user" not in at.session_state
    at = sign_in(at, "Ivanova", PASSWORD)
    assert_no_exception(at)
    assert at.session_state["imc_user"] == User("ivanova", "director", inst_id=OWN)
    assert at.title[0].value == messages.PAGE_TITLES["overview"] and at.metric
    assert any("Вы вошли как **ivanova** — руководитель организации" in c.value for c in at.sidebar.caption)
    assert not any(messages.DEMO_NOTICE in i.value for i in at.info)
    # one more run first: under AppTest's first multipage mode the run right after signing in (a rerun from
    # the sign-in page) gives the router's widgets other ids than the runs after it; a browser (the real
    # navigation, and the browser test) has no such run
    at.run()
    at.button(key="imc_logout").click()
    at.run()
    assert shows_login(at)
    shows_nothing_of_the_app(at)


def signed_in_admin(app, db: Path) -> AppTest:
    """An AppTest of `db` in which the administrator (a new account) has just signed in."""
    add_user(db, "admin", "admin")
    at = sign_in(app(db).run(), "admin", PASSWORD)
    assert at.session_state["imc_user"] == User("admin", "admin")
    return at


def test_the_password_is_not_kept_in_the_session(app, real_copy):
    at = signed_in_admin(app, real_copy)
    kept = [at.session_state[k] for k in ("imc_login_password",) if k in at.session_state]
    assert PASSWORD not in [str(v) for v in kept]


def test_throttling_after_five_failures(app, real_copy, clock):
    add_user(real_copy, "admin", "admin")
    at = app(real_copy).run()
    for _ in range(users.MAX_FAILURES - 1):
        at = sign_in(at, "admin", "wrong-password")
        assert [e.value for e in at.error] == [messages.LOGIN_FAILED]
    at = sign_in(at, "admin", "wrong-password")
    assert "Слишком много неудачных попыток входа" in at.error[0].value and "30 с" in at.error[0].value
    # a reloaded page is a new session: the login stays locked, even with the right password
    at = sign_in(app(real_copy).run(), "admin", PASSWORD)
    assert "Слишком много неудачных попыток входа" in at.error[0].value
    assert "imc_user" not in at.session_state
    clock.advance(users.BASE_DELAY + 1)
    at = sign_in(at, "admin", PASSWORD)
    assert_no_exception(at)
    assert at.session_state["imc_user"] == User("admin", "admin")


def test_a_removed_user_is_signed_out_and_a_changed_role_applies_at_the_next_click(app, real_copy):
    add_user(real_copy, "admin", "admin")
    add_user(real_copy, "m", "methodist")
    at = sign_in(app(real_copy).run(), "m", PASSWORD)
    assert at.session_state["imc_user"] == User("m", "methodist")
    store = store_for(real_copy)
    # the file edited by hand: the same credentials, another role (users remove + add gives a new hash,
    # which signs the session out like a changed password)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["users"]["m"].update(role="director", inst_id=OWN)
    store.path.write_text(json.dumps(data), encoding="utf-8")
    at.run()
    assert at.session_state["imc_user"] == User("m", "director", inst_id=OWN)
    store.remove("m")
    at.run()
    assert shows_login(at)
    shows_nothing_of_the_app(at)


def test_a_password_changed_elsewhere_ends_the_session(app, real_copy):
    at = signed_in_admin(app, real_copy)
    store_for(real_copy).set_password("admin", "новый-пароль-2")
    at.run()
    assert shows_login(at)
    shows_nothing_of_the_app(at)


# ----------------------------------------------------------------------------------------- no page without the router
@pytest.mark.parametrize("page", ALL_PAGES)
def test_opening_any_page_by_its_url_without_signing_in_shows_the_sign_in_form(app, demo_copy, page):
    """Under AppTest every run is Streamlit's first multipage mode — on a fresh server, opening /upload runs
    pages/upload.py itself, without app.py. The page must still go through the router."""
    add_user(demo_copy, "admin", "admin")
    at = app(demo_copy, page).run()
    assert_no_exception(at)
    assert shows_login(at)
    shows_nothing_of_the_app(at)


def test_a_page_file_run_on_its_own_stops(demo_copy, monkeypatch):
    """Even a page run as the main script (no router anywhere) shows nothing, whatever the session holds."""
    monkeypatch.setenv("IMC_DB", str(demo_copy))
    for page in ("upload.py", "staff.py", "quality.py"):
        at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=60)
        at.session_state["imc_user"] = User("d", "director", inst_id=OWN)
        at.run()
        assert_no_exception(at)
        assert not at.get("file_uploader") and not at.dataframe and not at.metric
        assert not at.title, "stopped before the page drew anything"


def test_the_router_really_runs_under_every_page(app, real_copy):
    """Signed in, a page opened by URL runs inside the router: the sidebar shows who is signed in."""
    add_user(real_copy, "admin", "admin")
    at = sign_in(app(real_copy).run(), "admin", PASSWORD)
    for page in ALL_PAGES:
        at.switch_page(page)
        at.run()
        assert_no_exception(at)
        assert any("Вы вошли как" in c.value for c in at.sidebar.caption), page


# ----------------------------------------------------------------------------------------- roles
def page_titles(at: AppTest) -> set[str]:
    return {str(p.get("page_name")) for p in at._registered_pages.values()}


@pytest.mark.parametrize(
    ("user", "upload"),
    [
        (User("a", "admin"), True),
        (User("m", "methodist"), True),
        (User("h", "head"), False),
        (User("d", "director", inst_id=OWN), True),
    ],
)
def test_navigation_by_role(app, real_copy, user, upload):
    at = app(real_copy, user=user).run()
    titles = page_titles(at)
    assert (messages.PAGE_TITLES["upload"] in titles) is upload
    assert {messages.PAGE_TITLES[p] for p in ("overview", "staff", "quality", "note", "compare")} <= titles


def test_the_head_cannot_reach_the_upload_page_by_its_url(app, real_copy):
    head = User("h", "head")
    at = app(real_copy, "pages/upload.py", user=head).run()
    assert_no_exception(at)
    assert not at.get("file_uploader")
    assert at.title[0].value == messages.PAGE_TITLES["overview"], "an unknown page: the default one"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/upload.py")


def test_a_crafted_query_parameter_does_not_change_the_user(app, real_copy):
    add_user(real_copy, "d", "director", inst_id=OWN)
    at = sign_in(app(real_copy).run(), "d", PASSWORD)
    at.query_params.update({"imc_user": "admin", "role": "admin", "inst": OTHER, "_imc_auth_source": "demo"})
    at.switch_page("pages/staff.py")
    at.run()
    assert_no_exception(at)
    assert at.session_state["imc_user"] == User("d", "director", inst_id=OWN)
    # a crafted `inst` of another school: the lists say plainly they are the director's own (issue 14, point 10)
    assert "Списки работников показываются только по вашей организации" in texts(at)


@pytest.mark.parametrize(
    "user",
    [User("h", "head"), User("d", "director", inst_id=OWN), User("m", "methodist")],
    ids=lambda u: u.role,
)
def test_every_page_of_a_role_runs_clean(app, real_copy, user):
    at = app(real_copy, user=user).run()
    reachable = [p for p in ALL_PAGES if user.role != "head" or p != "pages/upload.py"]
    for page in reachable:
        at.switch_page(page)
        at.run()
        assert_no_exception(at)
        assert not at.error, (page, [e.value for e in at.error])


def test_the_head_before_any_data_gets_no_link_to_a_page_it_may_not_open(app, tmp_path):
    at = app(tmp_path / "nothing-yet.duckdb", user=User("h", "head")).run()
    at.switch_page("pages/quality.py")
    at.run()
    assert_no_exception(at)
    assert not [link for link in at.get("page_link") if link.proto.page == "upload"]


def test_single_sign_on_is_offered_only_when_configured():
    from ui import auth

    assert not auth.oidc_configured(), "no [auth] in secrets (and no Authlib): the password form only"
    assert auth.oidc_provider({"client_id": "x", "client_secret": "y"}) is None
    assert auth.oidc_provider({"redirect_uri": "r", "keycloak": {"client_id": "x"}}) == "keycloak"
