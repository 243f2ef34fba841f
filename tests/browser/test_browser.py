"""The whole app once in a real browser: headless Chromium (Debian's) opens every page of a running
`streamlit run server.py` (app.py with the session routes, as `make run`), waits for the charts, fails on any
Streamlit exception box and saves a screenshot per page (tests/_artifacts/; with IMC_UPDATE_SCREENSHOTS=1 the
overview, staff and ICT ones are also copied to docs/screenshots/ for the README — off by default, so that a test
run leaves the working tree clean)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "_artifacts"
DOCS_SHOTS = REPO / "docs" / "screenshots"
# url path → (file stem of the screenshot, is a dashboard with charts)
PAGES = {
    "": ("overview", True),
    "staff": ("staff", True),
    "ict": ("ict", True),
    "innovation": ("innovation", True),
    "results": ("results", True),
    "plan": ("plan", False),  # one chart in the open tab (the wait is for two)
    "catalog": ("catalog", False),
    "upload": ("upload", False),
    "quality": ("quality", False),
    "compare?inst=BGR-S01": ("compare", False),  # charts sit in a tab that is not open
    "note": ("note", False),
}
FOR_README = ("overview", "staff", "ict", "compare", "quality", "results")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium: `apt-get install -y chromium` (.ci/run does)"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Path:
    # a copy of the session's demo warehouse: the upload test loads into it
    copy = tmp_path_factory.mktemp("browser") / "demo-city.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


@contextlib.contextmanager
def streamlit_server(db: Path, log_name: str) -> Iterator[str]:
    """`streamlit run server.py` on a free port, reading `db` (its users.json beside it); its address."""
    port = free_port()
    env = {**os.environ, "IMC_DB": str(db)}
    env.pop("IMC_USERS", None)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",  # what `make run` serves: app.py with the sign-in session routes
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(warehouse: Path) -> Iterator[str]:
    with streamlit_server(warehouse, "streamlit.log") as base:
        yield base


def wait_for_page(page, charts: bool) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    # the script is running while the status widget shows; wait until it goes away
    deadline = time.monotonic() + 90
    while page.locator('[data-testid="stStatusWidget"]').count() and time.monotonic() < deadline:
        time.sleep(0.25)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
    page.wait_for_timeout(1500)


def test_every_page_in_a_real_browser(server: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    update_docs = os.environ.get("IMC_UPDATE_SCREENSHOTS") == "1"
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="ru-RU")
            page = context.new_page()
            for path, (stem, charts) in PAGES.items():
                page.goto(f"{server}/{path}", wait_until="domcontentloaded")
                wait_for_page(page, charts)
                shot = ARTIFACTS / f"{stem}.png"
                page.screenshot(path=str(shot), full_page=True)
                if update_docs and stem in FOR_README:
                    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(shot, DOCS_SHOTS / f"{stem}.png")
                exceptions = page.locator('[data-testid="stException"]')
                if exceptions.count():
                    problems.append(f"/{path}: {exceptions.first.inner_text()[:500]}")
                if "Данные не загружены" in page.content():
                    problems.append(f"/{path}: the page says there is no data")
        finally:
            browser.close()
    assert not problems, problems


def test_upload_in_a_real_browser(server: str) -> None:
    """Files go through Streamlit's real upload endpoint into the loader; the summary and the errors appear.

    Runs after the tour of the pages: it loads into the module's warehouse (a throwaway copy)."""
    from playwright.sync_api import sync_playwright

    corpus = REPO / "tests" / "data" / "bad_inputs"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="ru-RU")
            page = context.new_page()
            # the app's router first: on a fresh server, a page opened directly runs without app.py
            # (Streamlit discovers pages/ until st.navigation has been called once)
            page.goto(server, wait_until="domcontentloaded")
            wait_for_page(page, charts=True)
            page.goto(f"{server}/upload", wait_until="domcontentloaded")
            wait_for_page(page, charts=False)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                [str(corpus / "registry.csv"), str(corpus / "out_of_range.csv")]
            )
            page.get_by_text("out_of_range.csv").first.wait_for(timeout=30_000)
            button = page.get_by_role("button", name="Загрузить в хранилище")
            page.wait_for_function(
                "() => [...document.querySelectorAll('button')].some("
                "b => b.innerText.includes('Загрузить в хранилище') && !b.disabled)",
                timeout=30_000,
            )
            button.click()
            page.get_by_text("Итог загрузки").wait_for(timeout=120_000)
            wait_for_page(page, charts=False)
            # the summary and the errors are data grids (drawn on a canvas once the data has arrived)
            page.wait_for_function(
                "document.querySelectorAll('[data-testid=\"stDataFrame\"] canvas').length >= 2",
                timeout=60_000,
            )
            page.get_by_text("Полнота сведений, карантин и предупреждения").wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "upload_done.png"), full_page=True)
            text = page.content()
            assert not page.locator('[data-testid="stException"]').count()
            assert "Итого файлов: 2; загружено строк: 5; в карантине: 3; отклонено файлов: 0." in text
            assert "Загрузка завершена" in text
        finally:
            browser.close()


# ----------------------------------------------------------------------------------------- who may see what
PASSWORD = "пароль-для-браузера-1"


def wait_until_idle(page) -> None:
    deadline = time.monotonic() + 90
    page.wait_for_timeout(500)
    while page.locator('[data-testid="stStatusWidget"]').count() and time.monotonic() < deadline:
        time.sleep(0.25)
    page.wait_for_timeout(1000)


def script_cookies(page) -> str:  # type: ignore[no-untyped-def]
    """`document.cookie` as the page's scripts see it, read after any navigation under way has ended (a
    script evaluated while the page navigates loses its context: wait for the new page, then read)."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(20):
        page.wait_for_load_state("load")
        try:
            return str(page.evaluate("document.cookie"))
        except PlaywrightError as exc:
            if "Execution context was destroyed" not in str(exc):
                raise
    raise AssertionError("the page kept navigating")


def test_a_fresh_server_shows_the_sign_in_form_for_a_page_opened_by_its_url(
    tmp_path: Path, demo_db: Path
) -> None:
    """The hole this closes: on a freshly started server Streamlit serves pages/ by itself until
    st.navigation has been called once, so `/upload` ran pages/upload.py without app.py — as the demo
    administrator. With users, the very first request of the process, /upload, must show the sign-in form."""
    from playwright.sync_api import sync_playwright

    from auth.users import UserStore

    db = tmp_path / "imc.duckdb"
    shutil.copyfile(demo_db, db)
    UserStore(tmp_path / "users.json").add("admin", "admin", password=PASSWORD)
    with streamlit_server(db, "streamlit-auth.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="ru-RU")
            page = context.new_page()
            page.goto(f"{base}/upload", wait_until="domcontentloaded")
            page.get_by_label("Имя пользователя").wait_for(timeout=60_000)
            wait_until_idle(page)
            page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)
            assert page.locator('input[type="password"]').count() == 1
            assert not page.locator('[data-testid="stFileUploaderDropzoneInput"]').count()
            assert not page.locator('[data-testid="stException"]').count()
            body = page.inner_text("body")
            assert "Загрузка файлов" not in body and "Демонстрационный режим" not in body

            page.get_by_label("Имя пользователя").fill("admin")
            page.get_by_label("Пароль").fill(PASSWORD)
            page.get_by_role("button", name="Войти").click()
            page.get_by_text("Вы вошли как").wait_for(timeout=60_000)
            # signed in, the URL asked for opens: the upload page
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(
                state="attached", timeout=60_000
            )
            wait_until_idle(page)
            assert not page.locator('[data-testid="stException"]').count()
            # the menu works
            page.get_by_role("link", name="Обзор").click()
            wait_for_page(page, charts=True)
            assert not page.locator('[data-testid="stException"]').count()
            page.get_by_role("button", name="Выйти").click()
            page.get_by_label("Имя пользователя").wait_for(timeout=60_000)
            wait_until_idle(page)
            assert not page.locator('[data-testid="stFileUploaderDropzoneInput"]').count()
        finally:
            browser.close()


def test_a_session_survives_a_reload_and_a_new_tab_and_sign_out_ends_it_everywhere(
    tmp_path: Path, demo_db: Path
) -> None:
    """Signed in once: F5 and a new tab stay signed in (the HttpOnly session cookie); signing out in one tab
    clears the cookie and signs the other tab out at its next click."""
    from playwright.sync_api import sync_playwright

    from auth.users import UserStore

    db = tmp_path / "imc.duckdb"
    shutil.copyfile(demo_db, db)
    UserStore(tmp_path / "users.json").add("admin", "admin", password=PASSWORD)
    with streamlit_server(db, "streamlit-session.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="ru-RU")
            page = context.new_page()
            page.goto(f"{base}/staff?inst=BGR-S01", wait_until="domcontentloaded")
            page.get_by_label("Имя пользователя").wait_for(timeout=60_000)
            page.get_by_label("Имя пользователя").fill("admin")
            page.get_by_label("Пароль").fill(PASSWORD)
            page.get_by_role("button", name="Войти").click()
            # signed in, the page goes through /auth/session for its cookie and comes back to the same view
            deadline = time.monotonic() + 60
            while not [c for c in context.cookies() if c["name"] == "imc_session"]:
                assert time.monotonic() < deadline, "no session cookie"
                page.wait_for_timeout(250)
            [cookie] = [c for c in context.cookies() if c["name"] == "imc_session"]
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
            page.get_by_text("Вы вошли как").wait_for(timeout=60_000)
            wait_until_idle(page)
            assert page.url.startswith(f"{base}/staff?inst=BGR-S01"), page.url
            # only once the page is back from /auth/session: a script run during that navigation has its
            # context destroyed (playwright raises), whatever the cookie
            assert "imc_session" not in script_cookies(page), "not readable by scripts"

            page.reload(wait_until="domcontentloaded")
            page.get_by_text("Вы вошли как").wait_for(timeout=60_000)
            assert page.url.startswith(f"{base}/staff?inst=BGR-S01"), "a reload keeps the user and the view"
            wait_until_idle(page)

            other = context.new_page()
            other.goto(f"{base}/ict", wait_until="domcontentloaded")
            other.get_by_text("Вы вошли как").wait_for(timeout=60_000)
            assert not other.get_by_label("Имя пользователя").count()
            wait_until_idle(other)

            page.get_by_role("button", name="Выйти").click()
            page.get_by_label("Имя пользователя").wait_for(timeout=60_000)
            deadline = time.monotonic() + 60
            while [c for c in context.cookies() if c["name"] == "imc_session"]:
                assert time.monotonic() < deadline, "the cookie stays after signing out"
                page.wait_for_timeout(250)
            wait_until_idle(page)
            page.reload(wait_until="domcontentloaded")
            page.get_by_label("Имя пользователя").wait_for(timeout=60_000)

            # the other tab still shows the page drawn before; its next click finds the session gone
            other.get_by_role("link", name="Обзор").click()
            other.get_by_label("Имя пользователя").wait_for(timeout=60_000)
            wait_until_idle(other)
            assert not other.get_by_text("Вы вошли как").count()
            assert not other.locator('[data-testid="stException"]').count()
        finally:
            browser.close()


HOSTILE = "**Жирная** <img src=x onerror=alert(1)> [ссылка](javascript:alert(1)) :red[красный]"


def test_hostile_names_render_as_text_in_a_real_browser(tmp_path: Path, demo_db: Path) -> None:
    """Streamlit's own Markdown renderer, not a model of it: an institution named with Markdown, HTML, a
    javascript: link and a Streamlit directive shows exactly that text, on the dashboards and in charts."""
    from playwright.sync_api import sync_playwright

    from etl.loader import InputFile, load_files

    db = tmp_path / "imc.duckdb"
    shutil.copyfile(demo_db, db)
    registry = (
        "Код организации;Полное наименование;Краткое наименование;Тип организации;Муниципалитет;Местность;Адрес\n"
        f"BGR-S01;Полное {HOSTILE};{HOSTILE};общеобразовательная;г. Бугуруслан;город;\n"
    )
    result = load_files([InputFile(name="registry.csv", data=registry.encode("utf-8"))], db)
    assert [f.status for f in result.files] == ["loaded"]
    problems: list[str] = []
    with streamlit_server(db, "streamlit-hostile.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="ru-RU")
            page = context.new_page()
            page.on("dialog", lambda d: (problems.append(f"a dialog opened: {d.message}"), d.dismiss()))
            for path, charts in (
                ("?inst=BGR-S01", True),
                ("compare?inst=BGR-S01", False),
                ("staff?inst=BGR-S01", True),
            ):
                page.goto(f"{base}/{path}", wait_until="domcontentloaded")
                wait_for_page(page, charts)
                if path.startswith("compare"):
                    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
                body = page.inner_text("body")
                if "**Жирная**" not in body or ":red[красный]" not in body:
                    problems.append(f"/{path}: the name is not shown as written")
                if page.locator('img[src="x"]').count():
                    problems.append(f"/{path}: an <img> from a name")
                if page.locator('a[href^="javascript"]').count():
                    problems.append(f"/{path}: a javascript: link from a name")
                if page.locator("strong, b").filter(has_text=re.compile(r"^Жирная$")).count():
                    problems.append(f"/{path}: Markdown emphasis from a name")
                if page.locator("svg text, svg tspan").filter(has_text=re.compile(r"^Жирная$")).count():
                    problems.append(f"/{path}: chart markup from a name")
                if page.locator('[data-testid="stException"]').count():
                    problems.append(
                        f"/{path}: {page.locator('[data-testid=stException]').first.inner_text()[:300]}"
                    )
        finally:
            browser.close()
    assert not problems, problems


URL_SHORT = "СОШ https://evil.example/short"
URL_FULL = '=HYPERLINK("https://evil.example/full","Школа") www.evil.example mail@evil.example'


def test_addresses_in_names_never_become_links(tmp_path: Path, demo_db: Path) -> None:
    """A name holding a web address (or a spreadsheet's =HYPERLINK) is text on every page that shows names:
    Streamlit's Markdown would turn a bare `https://…`, `www.…` or an e-mail into a live link."""
    from playwright.sync_api import sync_playwright

    from etl.loader import InputFile, load_files

    db = tmp_path / "imc.duckdb"
    shutil.copyfile(demo_db, db)
    registry = (
        "Код организации;Полное наименование;Краткое наименование;Тип организации;Муниципалитет;Местность;Адрес\n"
        f"BGR-S01;{URL_FULL};{URL_SHORT};общеобразовательная;г. Бугуруслан;город;\n"
    )
    result = load_files([InputFile(name="registry.csv", data=registry.encode("utf-8"))], db)
    assert [f.status for f in result.files] == ["loaded"]
    problems: list[str] = []
    with streamlit_server(db, "streamlit-links.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="ru-RU")
            page = context.new_page()
            for path, charts in (
                ("", True),  # the router first (a fresh server)
                ("?inst=BGR-S01", True),
                ("staff", True),
                ("staff?inst=BGR-S01", True),
                ("ict?inst=BGR-S01", True),
                ("innovation", True),
                ("innovation?inst=BGR-S01", True),
                ("compare?inst=BGR-S01", False),
                ("quality", False),
                ("note", False),
            ):
                page.goto(f"{base}/{path}", wait_until="domcontentloaded")
                wait_for_page(page, charts)
                links = page.locator('a[href*="evil.example"], a[href^="mailto:"]')
                if links.count():
                    problems.append(
                        f"/{path}: {links.count()} link(s): {links.first.evaluate('a => a.outerHTML')}"
                    )
                if page.locator('[data-testid="stException"]').count():
                    problems.append(f"/{path}: an exception")
            page.goto(f"{base}/?inst=BGR-S01", wait_until="domcontentloaded")
            wait_for_page(page, charts=False)
            body = page.inner_text("body")
            if URL_SHORT not in body.replace("\u200d", ""):
                problems.append("/?inst=BGR-S01: the short name is not shown as written")
        finally:
            browser.close()
    assert not problems, problems
