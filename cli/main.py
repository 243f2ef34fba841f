"""`python -m etl …`: the command line of ../shared/spec/interfaces.md, in Russian for its users.

Exit statuses of `load`: 0 every row loaded; 1 some rows quarantined or a file rejected (the rest loaded);
2 usage error or nothing could be loaded. Bad input never shows a traceback; a crash of our own code shows
one, after a sentence saying that it is ours.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from etl import messages
from etl.contract import DATASETS
from etl.summary import print_summary

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"Ошибка в параметрах команды: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m etl", description="Загрузка данных мониторинга в хранилище ИМЦ.")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)
    sub.required = True

    load = sub.add_parser("load", help="загрузить файлы (.xlsx, .csv) или папку с файлами")
    load.add_argument("paths", nargs="+", type=Path, metavar="ПУТЬ", help="файл или папка")
    load.add_argument("--db", help="файл хранилища (по умолчанию $IMC_DB или warehouse/imc.duckdb)")
    load.add_argument(
        "--dataset", choices=sorted(DATASETS), help="набор данных, если не определять по заголовкам"
    )
    load.add_argument("--force", action="store_true", help="загрузить повторно уже загруженные файлы")
    load.add_argument("--quiet", action="store_true", help="без индикатора хода загрузки")
    load.add_argument(
        "--by", metavar="КТО", help="кто загружает (в журнал загрузок; по умолчанию пользователь системы)"
    )

    demo = sub.add_parser("demo", help="создать демонстрационное хранилище (г. Бугуруслан)")
    demo.add_argument("--db", help="файл хранилища")
    demo.add_argument("--scale", choices=["city", "region", "country"], default="city")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--quiet", action="store_true")

    undo = sub.add_parser("undo", help="отменить одну загрузку (только в режиме DuckLake)")
    undo.add_argument("batch_id", metavar="ПАКЕТ", help="номер пакета загрузки (dq.load_log.batch_id)")
    undo.add_argument("--db", help="хранилище DuckLake: ducklake:postgres:… или ducklake:sqlite:…")
    undo.add_argument("--by", metavar="КТО", help="кто отменяет (в журнал загрузок)")

    compact = sub.add_parser(
        "compact", help="уплотнить файлы хранилища DuckLake (после многих загрузок; только в режиме DuckLake)"
    )
    compact.add_argument("--db", help="хранилище DuckLake: ducklake:postgres:… или ducklake:sqlite:…")

    generate = sub.add_parser("generate", help="записать демонстрационные входные файлы")
    generate.add_argument("--scale", choices=["city", "region", "country"], required=True)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--format", choices=["csv", "xlsx"], default="csv")

    templates = sub.add_parser("templates", help="записать шаблоны XLSX для организаций")
    templates.add_argument("--out", type=Path, required=True)

    passport = sub.add_parser("passport", help="паспорт организации (DOCX)")
    passport.add_argument("--inst", required=True, metavar="КОД", help="код организации")
    passport.add_argument("--period", required=True, metavar="ГОД", help="учебный год, например 2024/2025")
    passport.add_argument("--out", type=Path, required=True, metavar="ФАЙЛ", help="файл .docx")
    passport.add_argument("--db", help="файл хранилища (по умолчанию $IMC_DB или warehouse/imc.duckdb)")

    note = sub.add_parser("note", help="аналитическая справка (DOCX)")
    note.add_argument("--db", help="файл хранилища (по умолчанию $IMC_DB или warehouse/imc.duckdb)")
    note.add_argument("--period", required=True, metavar="ГОД", help="учебный год, например 2024/2025")
    note.add_argument(
        "--compare", metavar="ГОД", help="период сравнения (по умолчанию предыдущий; none — без)"
    )
    note.add_argument(
        "--scope",
        default="",
        help="охват: не задан — муниципалитет целиком; school, preschool, additional — тип организаций; "
        "код организации — одна организация",
    )
    note.add_argument("--municipality", help="муниципалитет (если в хранилище их несколько)")
    note.add_argument(
        "--areas",
        default="staff,ict,innovation",
        help="направления через запятую: staff, ict, innovation, results (результаты ГИА, ВПР, олимпиады)",
    )
    note.add_argument("--org", help="организация-составитель (в заголовке справки)")
    note.add_argument(
        "--with-personal-data",
        action="store_true",
        help="приложить поимённые списки (аттестация, КПК): персональные данные, по умолчанию не прилагаются",
    )
    # the former switch: the lists are now off unless asked for, so it changes nothing
    note.add_argument("--no-names", action="store_true", help=argparse.SUPPRESS)
    note.add_argument("--out", type=Path, required=True, metavar="ФАЙЛ", help="файл .docx")

    plan = sub.add_parser(
        "plan", help="план-график КПК, перспективный план аттестации, наставничество (XLSX, DOCX)"
    )
    plan.add_argument("--db", help="файл хранилища (по умолчанию $IMC_DB или warehouse/imc.duckdb)")
    plan.add_argument("--period", required=True, metavar="ГОД", help="учебный год, например 2024/2025")
    plan.add_argument(
        "--scope",
        default="",
        help="охват: не задан — муниципалитет целиком; school, preschool, additional — тип организаций; "
        "код организации — одна организация",
    )
    plan.add_argument("--municipality", help="муниципалитет (если в хранилище их несколько)")
    plan.add_argument("--org", help="организация-составитель (в заголовке плана)")
    plan.add_argument("--out", type=Path, required=True, metavar="ФАЙЛ", help="файл .xlsx или .docx")

    users = sub.add_parser("users", help="пользователи приложения и их роли")
    users_sub = users.add_subparsers(dest="users_command", metavar="ДЕЙСТВИЕ", parser_class=_Parser)
    users_sub.required = True
    location = _Parser(add_help=False)
    location.add_argument(
        "--users",
        metavar="ФАЙЛ",
        help="файл пользователей (по умолчанию $IMC_USERS или users.json рядом с хранилищем)",
    )
    location.add_argument("--db", help="файл хранилища (по умолчанию $IMC_DB или warehouse/imc.duckdb)")
    add = users_sub.add_parser("add", parents=[location], help="добавить пользователя")
    add.add_argument("login", metavar="ИМЯ", help="имя пользователя (латиница, цифры, . _ @ -)")
    add.add_argument("--role", required=True, choices=["admin", "head", "methodist", "director"])
    add.add_argument("--inst", metavar="КОД", help="код организации (только для роли director)")
    add.add_argument("--email", metavar="АДРЕС", help="адрес электронной почты для единого входа (OIDC)")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода"
    )
    secret.add_argument(
        "--no-password", action="store_true", help="без пароля: вход только через единый вход по --email"
    )
    remove = users_sub.add_parser("remove", parents=[location], help="удалить пользователя")
    remove.add_argument("login", metavar="ИМЯ")
    users_sub.add_parser("list", parents=[location], help="список пользователей (без паролей)")
    passwd = users_sub.add_parser("passwd", parents=[location], help="сменить пароль пользователя")
    passwd.add_argument("login", metavar="ИМЯ")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода"
    )
    return parser


class ProgressBar:
    """A one-line progress bar on a terminal; silent when output goes to a file."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.started = time.monotonic()

    def __call__(self, fraction: float, text: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * max(0.0, min(1.0, fraction)))
        elapsed = time.monotonic() - self.started
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {fraction:4.0%} {elapsed:5.1f} с  {text}"
        self.stream.write(line[:120].ljust(120))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()


def _system_user() -> str | None:
    """Who runs the command, for the load log (None when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def cmd_load(args: argparse.Namespace) -> int:
    from etl.loader import DiskFull, expand_paths, load_files
    from warehouse.db import LoadLockBusy

    paths = expand_paths(args.paths)
    if not paths:
        print(messages.CLI_NO_FILES.format(paths=", ".join(map(str, args.paths))), file=sys.stderr)
        return EXIT_USAGE
    bar = ProgressBar(sys.stderr, enabled=not args.quiet)
    try:
        result = load_files(
            paths,
            args.db,
            dataset=args.dataset,
            force=args.force,
            progress=bar,
            uploaded_by=args.by or _system_user(),
        )
    except LoadLockBusy:
        bar.close()
        print(messages.CLI_BUSY, file=sys.stderr)
        return EXIT_USAGE
    except DiskFull as exc:  # nothing was loaded and nothing is left behind
        bar.close()
        print(exc.message_ru, file=sys.stderr)
        return EXIT_USAGE
    bar.close()
    print_summary(result, sys.stdout)
    return result.exit_code


def cmd_demo(args: argparse.Namespace) -> int:
    from demo.generator import generate
    from etl.loader import load_files

    with tempfile.TemporaryDirectory(prefix="imc-demo-") as folder:
        files = generate(args.scale, Path(folder), seed=args.seed)
        bar = ProgressBar(sys.stderr, enabled=not args.quiet)
        info = {"kind": "demo", "scale": args.scale, "seed": str(args.seed)}
        # the generated files are ours: the upload size limit is for institutions' files
        result = load_files(
            files, args.db, fresh=True, progress=bar, info=info, max_file_mb=100_000, uploaded_by="демо"
        )
        bar.close()
    loaded = sum(f.rows_loaded for f in result.files)
    quarantined = sum(f.rows_quarantined for f in result.files)
    # the deliberate errors are mentioned only when some rows did land in quarantine
    why = " (ошибки в демонстрационных данных допущены намеренно)" if quarantined else ""
    print(
        f"Демонстрационное хранилище ({args.scale}) создано: {result.db_path}. "
        f"Файлов: {len(result.files)}, загружено строк: {loaded}, в карантине: {quarantined}{why}."
    )
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from demo.generator import generate

    files = generate(args.scale, args.out, seed=args.seed, fmt=args.format)
    print(f"Записано файлов: {len(files)} в {args.out}")
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from etl.templates import write_templates

    files = write_templates(args.out)
    for path in files:
        print(path)
    return EXIT_OK


def _warehouse_exists(db: Path) -> bool:
    """Whether the warehouse file is there; if not, says so on stderr (in Russian, for the user)."""
    from warehouse.db import warehouse_exists

    if warehouse_exists(db):
        return True
    print(
        f"Хранилище не найдено: {db}. Соберите его (python -m etl demo) или загрузите файлы.",
        file=sys.stderr,
    )
    return False


def cmd_passport(args: argparse.Namespace) -> int:
    from etl.normalize import normalize_period_text
    from reports.passport import CLI_USER, PassportError, write_passport
    from warehouse.db import resolve_db_path

    db = resolve_db_path(args.db)
    if not _warehouse_exists(db):
        return EXIT_USAGE
    try:
        # «2024-2025» and «2024/25» are accepted as in the input files
        period = normalize_period_text(args.period) or args.period
        path = write_passport(db, CLI_USER, args.inst, period, args.out)
    except PassportError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    print(f"Паспорт организации {args.inst} за {period} учебный год записан: {path}")
    return EXIT_OK


COMMANDS = {"load": cmd_load, "demo": cmd_demo, "generate": cmd_generate, "templates": cmd_templates}


def cmd_undo(args: argparse.Namespace) -> int:
    from etl.undo import UndoRefused, done_text, undo_load

    try:
        result = undo_load(args.db, args.batch_id, undone_by=args.by or _system_user())
    except UndoRefused as exc:
        print(exc.message_ru, file=sys.stderr)
        return EXIT_USAGE
    print(done_text(result))
    return EXIT_OK


COMMANDS["undo"] = cmd_undo


def cmd_compact(args: argparse.Namespace) -> int:
    from ru import fmt
    from warehouse import lake
    from warehouse.db import resolve_db_path, warehouse_exists

    db = str(resolve_db_path(args.db))
    if not lake.is_lake(db):
        print(messages.COMPACT_FILE_MODE, file=sys.stderr)
        return EXIT_USAGE
    if not warehouse_exists(db):
        print(messages.COMPACT_MISSING.format(db=db), file=sys.stderr)
        return EXIT_USAGE
    done = lake.compact(lake.LakeSpec.parse(db))
    print(
        messages.COMPACT_DONE.format(
            data_before=fmt.integer(done.before.data),
            data_after=fmt.integer(done.after.data),
            deletes_before=fmt.integer(done.before.deletes),
            deletes_after=fmt.integer(done.after.deletes),
            mb_before=fmt.number(done.before.bytes / 2**20, 1),
            mb_after=fmt.number(done.after.bytes / 2**20, 1),
        )
    )
    return EXIT_OK


COMMANDS["compact"] = cmd_compact
COMMANDS["passport"] = cmd_passport


def cmd_note(args: argparse.Namespace) -> int:
    from auth.identity import User
    from etl.normalize import normalize_period_text
    from reports import note
    from warehouse.db import resolve_db_path

    period = normalize_period_text(args.period) or args.period
    compare = args.compare and (normalize_period_text(args.compare) or args.compare)
    options: dict[str, Any] = {"include_names": args.with_personal_data and not args.no_names}
    if args.org:
        options["organisation"] = args.org
    db = resolve_db_path(args.db)
    if not _warehouse_exists(db):
        return EXIT_USAGE
    # the command line is run by whoever holds the warehouse file: the administrator's view
    return _write_document(
        args.out,
        lambda: note.build_note(
            db,
            User(login="cli", role="admin"),
            period,
            compare,
            [a.strip() for a in args.areas.split(",") if a.strip()],
            note.parse_scope(args.scope, args.municipality),
            **options,
        ),
        note.NoteError,
        failed="Справка не сформирована",
        written=f"Аналитическая справка за {period} учебный год записана",
    )


def _write_document(
    out: Path, build: Callable[[], bytes], refusal: type[Exception], *, failed: str, written: str
) -> int:
    """Build a document and write it to `out`; a refusal (`refusal`: the document's own error, with a
    Russian message) is said on stderr with exit 2 and writes nothing."""
    try:
        data = build()
    except refusal as exc:
        print(f"{failed}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{written}: {out}")
    return EXIT_OK


COMMANDS["note"] = cmd_note

PLAN_FORMATS = (".xlsx", ".docx")


def cmd_plan(args: argparse.Namespace) -> int:
    from etl.normalize import normalize_period_text
    from reports import note, plan
    from warehouse.db import resolve_db_path
    from warehouse.queries import INST_TYPES, Scope

    suffix = args.out.suffix.lower()
    if suffix not in PLAN_FORMATS:
        print(
            f"План не сформирован: файл {args.out} должен иметь расширение .xlsx (таблицы на листах) "
            "или .docx (план-график для утверждения).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    period = normalize_period_text(args.period) or args.period
    db = resolve_db_path(args.db)
    if not _warehouse_exists(db):
        return EXIT_USAGE
    parsed = note.parse_scope(args.scope, args.municipality)
    if parsed.inst_type and parsed.inst_type not in INST_TYPES:
        print(
            f"План не сформирован: тип организаций — {', '.join(INST_TYPES)} (задано: {parsed.inst_type}).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    scope = Scope(period, parsed.municipality, parsed.inst_type, parsed.inst_id)
    build = plan.plan_xlsx if suffix == ".xlsx" else plan.plan_docx
    return _write_document(
        args.out,
        lambda: build(db, plan.CLI_USER, scope, organisation=args.org),
        plan.PlanError,
        failed="План не сформирован",
        written=f"План на {period} учебный год записан",
    )


COMMANDS["plan"] = cmd_plan


def _read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input (scripts), or typed twice without echo."""
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("Пароль: ")
    second = getpass.getpass("Пароль ещё раз: ")
    if first != second:
        raise UsersCommandError("Пароли не совпадают; пользователь не изменён.")
    return first


class UsersCommandError(Exception):
    pass


def _unknown_institution(db: str | None, inst_id: str) -> str | None:
    """Why a director cannot be bound to `inst_id`: the warehouse has a registry of institutions and the code
    is not in it (a refusal). Without a warehouse or a registry yet, the code is accepted with a warning on
    stderr (the registry may be loaded later)."""
    from auth import identity
    from warehouse import queries
    from warehouse.db import resolve_db_path

    path = resolve_db_path(db)
    known: set[str] = set()
    if path.exists():
        try:
            known = set(queries.list_institutions(path, identity.User("cli", "admin"))["inst_id"])
        except Exception:  # a warehouse without a registry yet
            known = set()
        finally:
            queries.close_all()
    if not known:
        print(
            f"Предупреждение: справочника организаций в хранилище {path} нет, код {inst_id} не проверен.",
            file=sys.stderr,
        )
        return None
    if inst_id in known:
        return None
    return (
        f"Организации с кодом {inst_id} нет в справочнике хранилища {path}: пользователь не добавлен. "
        "Проверьте код (коды организаций — в справочнике, страница «Данные») или сначала загрузите "
        "справочник с этой организацией."
    )


def cmd_users(args: argparse.Namespace) -> int:
    """`users add|remove|list|passwd`: the users file holds bcrypt hashes only; no command prints one."""
    from auth.users import ROLE_NAMES, UserError, UsersFileError, UserStore, resolve_users_path

    store = UserStore(resolve_users_path(args.users, args.db))
    try:
        if args.users_command == "list":
            accounts = store.accounts()
            if not accounts:
                print(f"Пользователей нет ({store.path}). Первого администратора добавляет команда:")
                print("  python -m etl users add ИМЯ --role admin")
            for account in accounts.values():
                print(account.describe())
            return EXIT_OK
        if args.users_command == "add":
            if args.inst and args.role == "director":
                refusal = _unknown_institution(args.db, args.inst)
                if refusal:
                    raise UsersCommandError(refusal)
            password = None if args.no_password else _read_password(args.password_stdin)
            account = store.add(args.login, args.role, password=password, inst_id=args.inst, email=args.email)
            print(
                f"Пользователь «{account.login}» ({ROLE_NAMES[account.role]}) добавлен; "
                f"файл пользователей: {store.path}"
            )
            return EXIT_OK
        if args.users_command == "remove":
            account = store.remove(args.login)
            print(f"Пользователь «{account.login}» удалён.")
            return EXIT_OK
        if args.users_command == "passwd":
            if store.get(args.login) is None:
                raise UserError(f"Пользователя «{args.login.strip().lower()}» нет.")
            account = store.set_password(args.login, _read_password(args.password_stdin))
            print(f"Пароль пользователя «{account.login}» изменён.")
            return EXIT_OK
    except (UserError, UsersCommandError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except UsersFileError as exc:
        print(f"Файл пользователей {store.path}: {exc}. Исправьте или удалите его.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_USAGE


COMMANDS["users"] = cmd_users


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("\nПрервано пользователем; хранилище не изменено.", file=sys.stderr)
        return 130
    except Exception as exc:
        from etl.loader import DiskFull

        if isinstance(exc, DiskFull):  # `demo` too: a full disk is not our bug
            print(exc.message_ru, file=sys.stderr)
            return EXIT_USAGE
        print(messages.CLI_INTERNAL, file=sys.stderr)
        traceback.print_exc()
        return 3
