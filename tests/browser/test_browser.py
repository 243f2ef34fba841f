"""The whole app once in a real browser: headless Chromium (Debian's) opens every page of a running
`streamlit run app.py`, waits for the charts, fails on any Streamlit exception box and saves a screenshot
per page (tests/_artifacts/; the overview, staff and ICT ones are also copied to docs/screenshots/)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
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
    "catalog": ("catalog", False),
    "upload": ("upload", False),
    "quality": ("quality", False),
    "compare?inst=BGR-S01": ("compare", False),  # charts sit in a tab that is not open
    "note": ("note", False),
}
FOR_README = ("overview", "staff", "ict", "compare", "quality")
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


@pytest.fixture(scope="module")
def server(warehouse: Path):
    port = free_port()
    env = {**os.environ, "IMC_DB": str(warehouse)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
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
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
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
                if stem in FOR_README:
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
