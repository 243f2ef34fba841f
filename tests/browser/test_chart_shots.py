"""Every chart and table of the dashboards in a real browser at two widths (1440 and 1024 px): each one is
saved as its own screenshot (tests/_artifacts/charts/<width>/<view>_<n>.png) so that overlapping labels, a
legend over the axis or a cut title can be seen one chart at a time. With IMC_SHOTS_DIR=docs/screenshots/after
(or …/before) the shots are also copied there for the docs — off by default, so a test run leaves the
working tree clean. Fails on any Streamlit exception box and on English left in a chart's toolbar.

`make test` opens every view and tab at both widths and checks them; the one-by-one screenshots (four minutes
on a 2-core machine) are taken only when asked: IMC_SHOTS=1, or IMC_SHOTS_DIR set."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    streamlit_server,
    wait_for_page,
    wait_until_idle,
)

WIDTHS = (1440, 1024)
# view name → (url path, tabs to open one after another; None = the page as it opens)
VIEWS: dict[str, tuple[str, tuple[str | None, ...]]] = {
    "overview": ("", (None,)),
    "overview_inst": ("?inst=BGR-S01", (None,)),
    "staff": ("staff", ("Структура", "Динамика", "Организации")),
    "staff_inst": ("staff?inst=BGR-S01", ("Динамика", "Организации")),
    "ict": ("ict", (None,)),
    "ict_inst": ("ict?inst=BGR-S01", (None,)),
    "innovation": ("innovation", (None,)),
    "compare": ("compare?inst=BGR-S01", ("Графики", "Рядом: несколько организаций")),
}
STREAMLIT_OWN = {"Fullscreen", "Close fullscreen"}
SLUGS = {"Структура": "structure", "Динамика": "trends", "Организации": "table", "Графики": "charts"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_db: Path):  # type: ignore[no-untyped-def]
    copy = tmp_path_factory.mktemp("shots") / "demo-city.duckdb"
    shutil.copyfile(demo_db, copy)
    with streamlit_server(copy, "streamlit-shots.log") as base:
        yield base


def shoot_view(page, name: str, tab: str | None, out: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Screenshots of the charts and tables visible now; the names of the files written."""
    written = []
    scope = page.locator('[role="tabpanel"]:visible') if tab else page.locator("body")
    items = scope.locator('[data-testid="stPlotlyChart"]:visible, [data-testid="stDataFrame"]:visible')
    # a tab's later charts appear one after another: wait until their number holds for two seconds
    count, steady = -1, 0
    for _ in range(40):
        now = items.count()
        steady = steady + 1 if now == count else 0
        count = now
        if steady >= 4:
            break
        page.wait_for_timeout(500)
    suffix = f"_{SLUGS.get(tab, 'side')}" if tab else ""
    for i in range(items.count()):
        item = items.nth(i)
        item.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        kind = "table" if item.get_attribute("data-testid") == "stDataFrame" else "chart"
        file = out / f"{name}{suffix}_{kind}{i + 1:02d}.png"
        item.screenshot(path=str(file))
        written.append(file.name)
    return written


def test_every_chart_at_two_widths(server: str) -> None:
    from playwright.sync_api import sync_playwright

    copy_to = os.environ.get("IMC_SHOTS_DIR")
    shots = bool(copy_to or os.environ.get("IMC_SHOTS"))
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                out = ARTIFACTS / "charts" / str(width)
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                context = browser.new_context(viewport={"width": width, "height": 1200}, locale="ru-RU")
                page = context.new_page()
                page.goto(server, wait_until="domcontentloaded")  # the router first (see test_browser)
                wait_for_page(page, charts=True)
                # IMC_SHOTS_ONLY=compare,staff: only the views whose names start so (a quicker look)
                only = tuple(v for v in os.environ.get("IMC_SHOTS_ONLY", "").split(",") if v)
                for name, (path, tabs) in VIEWS.items():
                    if only and not name.startswith(only):
                        continue
                    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
                    # compare's charts sit in a tab; one school's overview may draw a single trend (its
                    # yes/no shares are words)
                    wait_for_page(page, charts=name.split("_")[0] != "compare" and name != "overview_inst")
                    for tab in tabs:
                        if tab:
                            page.get_by_role("tab", name=tab).click(timeout=60_000)
                            wait_until_idle(page)
                            page.wait_for_timeout(1500)  # a tab's charts are drawn once it shows
                        if shots:
                            shoot_view(page, name, tab, out)
                    if page.locator('[data-testid="stException"]').count():
                        problems.append(f"{width}/{name}: an exception box")
                    titles = page.locator(".modebar-btn").evaluate_all(
                        "els => els.map(e => e.getAttribute('data-title') || '')"
                    )
                    # Streamlit's own fullscreen button has a fixed English title (README lists it)
                    english = sorted({t for t in titles if t and t.isascii()} - STREAMLIT_OWN)
                    if english:
                        problems.append(f"{width}/{name}: toolbar in English: {english}")
                context.close()
                if copy_to:
                    target = REPO / copy_to / str(width)
                    shutil.rmtree(target, ignore_errors=True)
                    shutil.copytree(out, target)
        finally:
            browser.close()
    assert not problems, problems
