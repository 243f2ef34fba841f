"""`python -m etl users add|remove|list|passwd`: Russian messages, exit statuses 0 and 2, no hash printed,
and the users surviving a rebuild of the warehouse."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from auth import users
from auth.identity import User
from cli import main as cli
from tests.auth.conftest import PASSWORD, REPO


def run(argv, monkeypatch, capsys, stdin: str | None = None, typed: list[str] | None = None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    if typed is not None:
        answers = iter(typed)
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def add_director(login: str, inst_id: str, db) -> list[str]:
    """The arguments of `users add LOGIN --role director --inst INST_ID --password-stdin --db DB`."""
    options = ["--role", "director", "--inst", inst_id, "--password-stdin", "--db", str(db)]
    return ["users", "add", login, *options]


def test_add_list_passwd_remove(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.json"
    where = ["--users", str(path)]
    code, out, _ = run(
        ["users", "add", "admin", "--role", "admin", *where], monkeypatch, capsys, typed=[PASSWORD] * 2
    )
    assert code == 0 and "Пользователь «admin» (администратор) добавлен" in out
    code, out, _ = run(
        ["users", "add", "Ivanova", "--role", "director", "--inst", "BGR-S01", "--password-stdin", *where],
        monkeypatch,
        capsys,
        stdin=PASSWORD + "\n",
    )
    assert code == 0
    store = users.UserStore(path)
    assert store.authenticate("ivanova", PASSWORD) == User("ivanova", "director", inst_id="BGR-S01")

    code, out, err = run(["users", "list", *where], monkeypatch, capsys)
    assert code == 0 and not err
    assert out.splitlines() == [
        "admin · администратор",
        "ivanova · руководитель организации · организация BGR-S01",
    ]
    assert "$2b$" not in out and "bcrypt" not in out

    code, out, _ = run(
        ["users", "passwd", "ivanova", "--password-stdin", *where],
        monkeypatch,
        capsys,
        stdin="новый-пароль-3\n",
    )
    assert code == 0 and "изменён" in out
    assert store.authenticate("ivanova", PASSWORD) is None
    assert store.authenticate("ivanova", "новый-пароль-3") is not None

    code, out, _ = run(["users", "remove", "IVANOVA", *where], monkeypatch, capsys)
    assert code == 0 and "удалён" in out
    assert list(store.accounts()) == ["admin"]


@pytest.mark.parametrize(
    ("argv", "typed", "stdin", "message"),
    [
        (["users", "add", "a", "--role", "admin"], ["пароль-раз-1", "пароль-два-2"], None, "не совпадают"),
        (["users", "add", "a", "--role", "admin", "--password-stdin"], None, "short\n", "слишком короткий"),
        (["users", "add", "d", "--role", "director", "--password-stdin"], None, PASSWORD, "--inst"),
        (["users", "remove", "ghost"], None, None, "нет"),
        (["users", "passwd", "ghost", "--password-stdin"], None, PASSWORD, "нет"),
    ],
)
def test_refusals_exit_2_with_a_russian_message(tmp_path, monkeypatch, capsys, argv, typed, stdin, message):
    code, out, err = run([*argv, "--users", str(tmp_path / "users.json")], monkeypatch, capsys, stdin, typed)
    assert code == 2 and message in err
    assert not users.UserStore(tmp_path / "users.json").has_users()


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["users", "add", "x", "--role", "root", "--users", str(tmp_path / "u.json")])
    assert exc.value.code == 2
    assert "Ошибка в параметрах команды" in capsys.readouterr().err


def test_a_broken_users_file_is_reported(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.json"
    path.write_text("{broken", encoding="utf-8")
    code, _, err = run(["users", "list", "--users", str(path)], monkeypatch, capsys)
    assert code == 2 and "повреждён" in err


def test_a_director_of_an_unknown_institution_is_refused(real_copy, monkeypatch, capsys):
    """The warehouse has a registry and NO-SUCH is not in it: exit 2, a Russian reason, nobody added."""
    code, _, err = run(add_director("d", "NO-SUCH", real_copy), monkeypatch, capsys, stdin=PASSWORD)
    assert code == 2
    assert "Организации с кодом NO-SUCH нет в справочнике хранилища" in err and "не добавлен" in err
    users = real_copy.parent / "users.json"
    assert not users.exists() or "NO-SUCH" not in users.read_text(encoding="utf-8")


def test_a_director_is_added_beside_the_warehouse_and_warned_without_a_registry(
    real_copy, tmp_path, monkeypatch, capsys
):
    code, _, err = run(add_director("d", "BGR-S01", real_copy), monkeypatch, capsys, stdin=PASSWORD)
    assert code == 0 and err == ""
    assert (real_copy.parent / "users.json").exists(), "--db puts the users beside that warehouse"
    # no warehouse yet: the code cannot be checked, so it is accepted with a warning
    missing = tmp_path / "none" / "imc.duckdb"
    code, _, err = run(add_director("e", "NO-SUCH", missing), monkeypatch, capsys, stdin=PASSWORD)
    assert code == 0 and "код NO-SUCH не проверен" in err


def test_users_survive_a_rebuild_of_the_demo_warehouse(tmp_path):
    """The warehouse file is swapped by every load and rebuilt by `etl demo`; users.json beside it stays."""
    db = tmp_path / "imc.duckdb"
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "users",
            "add",
            "admin",
            "--role",
            "admin",
            "--password-stdin",
            "--db",
            str(db),
        ],
        cwd=REPO,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    built = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(db), "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    data = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
    assert list(data["users"]) == ["admin"]
    assert users.UserStore(tmp_path / "users.json").authenticate("admin", PASSWORD) is not None
