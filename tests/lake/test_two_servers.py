"""Two app servers on one lake (issue 16 point 5): two `streamlit run server.py` processes on different ports
read the same DuckLake; a separate loader process commits a corrected file; the next page load in each server
shows the new data. Each server is its own process with its own DuckDB instance (warehouse/lake.py's reader
cache: one LakeReader per lake per process, shared by the read API and the version checks).

The lake of tests/lake/test_lake.py: A1 3, A2 2, B1 4 teachers (STAFF_COUNT of the whole scope 9); the
loader's file gives B1 7, so the scope has 3 + 2 + 7 = 12.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from etl.loader import load_files
from tests.browser.test_browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_page
from tests.lake.test_lake import loader_process, registry_file, staff_counts, staff_file
from warehouse import db as wdb
from warehouse import lake, read

PASSWORD = "пароль-двух-серверов-1"
STAFF_CARD = "Численность педагогических работников"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (.ci/run installs it)"),
]


def test_one_reader_per_process_shared_by_the_read_api_and_the_version_checks(lake_db: str, tmp_path: Path):
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    shared = lake.reader(lake.LakeSpec.parse(lake_db))
    assert read._warehouse(lake_db) is shared
    assert wdb.open_reader(lake_db) is shared
    before = shared.version
    load_files([staff_file(tmp_path, "b1.csv", {"B1": 7})], lake_db)
    # the same attachment sees the new snapshot: nothing is reopened
    assert shared.version is not None and before is not None and shared.version[1] > before[1]
    assert read._warehouse(lake_db) is shared


def staff_card(page) -> str:
    """The value on the overview's STAFF_COUNT card (the whole scope), digits only."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=STAFF_CARD).first
    return re.sub(r"\D", "", metric.locator('[data-testid="stMetricValue"]').inner_text())


def sign_in(page, base: str) -> None:
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_label("Имя пользователя").wait_for(timeout=60_000)
    page.get_by_label("Имя пользователя").fill("admin")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_text("Вы вошли как").wait_for(timeout=60_000)
    wait_for_page(page, charts=False)


def test_two_servers_on_one_lake_both_show_a_load_on_the_next_page_load(lake_db: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    from auth.users import UserStore

    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    # the users file beside the lake (the data path's parent, IMC_DATA_PATH = tmp_path/data)
    UserStore(tmp_path / "users.json").add("admin", "admin", password=PASSWORD)
    with contextlib.ExitStack() as stack:
        bases = [
            stack.enter_context(streamlit_server(lake_db, f"streamlit-lake-{n}.log"))  # type: ignore[arg-type]
            for n in (1, 2)
        ]
        assert bases[0] != bases[1]
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        pages = []
        for base in bases:
            page = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="ru-RU").new_page()
            sign_in(page, base)
            assert staff_card(page) == "9"
            pages.append(page)

        # a loader on its own (another process, another DuckDB instance) commits B1's corrected file
        proc, _, _ = loader_process(lake_db, staff_file(tmp_path, "b1.csv", {"B1": 7}), tmp_path, "b1", None)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
        assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 7}

        for page in pages:
            page.reload(wait_until="domcontentloaded")  # the next page load, still signed in (cookie)
            wait_for_page(page, charts=False)
            assert not page.locator('[data-testid="stException"]').count()
            assert staff_card(page) == "12"
