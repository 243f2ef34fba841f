"""`python -m etl load`: Russian summary, exit statuses of interfaces.md, no traceback for bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "bad_inputs"


def run_etl(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("IMC_DB", None)
    if env_db is not None:
        env["IMC_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def test_load_summary_and_exit_statuses(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ok = run_etl("load", "--db", str(db), str(CORPUS / "registry.csv"))
    assert ok.returncode == 0, ok.stderr
    assert "Прочитано строк: 4; загружено: 4; в карантине: 0" in ok.stdout
    assert "Итог: загружен полностью." in ok.stdout

    partial = run_etl("load", "--db", str(db), str(CORPUS / "out_of_range.csv"))
    assert partial.returncode == 1
    assert "Прочитано строк: 4; загружено: 1; в карантине: 3" in partial.stdout
    assert "Первые ошибки:" in partial.stdout
    assert "строка 3, столбец «Численность обучающихся (воспитанников)»: значение «0»" in partial.stdout
    assert "Traceback" not in partial.stdout + partial.stderr

    nothing = run_etl("load", "--db", str(db), str(CORPUS / "garbage.xlsx"), str(CORPUS / "empty.csv"))
    assert nothing.returncode == 2
    assert "Итог: файл отклонён." in nothing.stdout
    assert "Traceback" not in nothing.stdout + nothing.stderr

    again = run_etl("load", "--db", str(db), str(CORPUS / "registry.csv"))
    assert again.returncode == 0
    assert "повторная загрузка" in again.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    empty_folder = tmp_path / "nothing"
    empty_folder.mkdir()
    result = run_etl("load", "--db", str(tmp_path / "w.duckdb"), str(empty_folder))
    assert result.returncode == 2
    assert "Не найдено ни одного файла" in result.stderr
    wrong = run_etl("load", "--dataset", "pupils", str(CORPUS / "registry.csv"))
    assert wrong.returncode == 2
    assert "Ошибка в параметрах команды" in wrong.stderr
    missing = run_etl("load", "--db", str(tmp_path / "w.duckdb"), str(tmp_path / "no_such_file.csv"))
    assert missing.returncode == 2
    assert "Файл не найден" in missing.stdout


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    result = run_etl("load", str(CORPUS / "registry.csv"), env_db=db)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.institutions").fetchone() == (4,)


def test_the_load_log_says_who_loaded(tmp_path: Path) -> None:
    import getpass

    from auth.identity import DEMO_USER
    from warehouse import quality

    db = tmp_path / "w.duckdb"
    assert run_etl("load", "--db", str(db), str(CORPUS / "registry.csv")).returncode == 0
    assert (
        run_etl("load", "--db", str(db), "--by", "Иванова И. И.", str(CORPUS / "out_of_range.csv")).returncode
        == 1
    )
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_file, uploaded_by FROM dq.load_log ORDER BY source_file").fetchall()
    assert rows == [("out_of_range.csv", "Иванова И. И."), ("registry.csv", getpass.getuser())]

    # a warehouse written before the column existed: read as empty, added by the next load
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE dq.load_log DROP COLUMN uploaded_by")
    log = quality.load_log(db, DEMO_USER)
    assert len(log) == 2 and log["uploaded_by"].isna().all()
    assert run_etl("load", "--db", str(db), "--force", str(CORPUS / "registry.csv")).returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(uploaded_by) FROM dq.load_log").fetchone() == (1,)
