"""Read SQL lives in .sql files: no Python module under warehouse/ besides the build plumbing holds a
multi-line SQL string (the read queries are warehouse/sql/<group>/<name>.sql, run through warehouse.read)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

WAREHOUSE = Path(__file__).resolve().parents[2] / "warehouse"
# the build plumbing: DDL, the materialisation of the models, and opening / writing / publishing a warehouse
# (the DuckLake mode's ATTACH and its snapshots' change feed), not read queries
PLUMBING = {"build.py", "db.py", "lake.py"}

# SQL as the project writes it (upper-case keywords): a SELECT … FROM, or a line opening with a statement
_SQL = (
    re.compile(r"\bSELECT\b.+\bFROM\b", re.S),
    re.compile(r"^\s*(WITH|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|ATTACH|COPY)\s", re.M),
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (prose, not SQL)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def multiline_sql(source: str) -> list[int]:
    """The line numbers of the string literals (f-strings and adjacent pieces included) of `source` that
    span lines and read as SQL."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        # a literal over several lines of source: one with line breaks, or adjacent pieces ("…" "…")
        spans_lines = "\n" in text.strip() or (node.end_lineno or node.lineno) > node.lineno
        if spans_lines and any(p.search(text) for p in _SQL):
            found.append(node.lineno)
    return sorted(set(found))


def test_the_check_finds_multiline_sql() -> None:
    source = (
        'X = """\nSELECT a\nFROM t\n"""\nY = f"""\n    WITH x AS (SELECT 1)\n    SELECT * FROM x {Z}\n"""\n'
    )
    assert multiline_sql(source) == [1, 5]
    assert multiline_sql('Q = (\n    "SELECT a "\n    "FROM t"\n)\n') == [2]
    # one-line SQL, prose and docstrings are not flagged
    prose = '"""Select the rows\nfrom the table."""\nA = "SELECT 1 FROM t"\nB = """two lines\nof prose"""\n'
    assert multiline_sql(prose) == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in WAREHOUSE.rglob("*.py") if p.name not in PLUMBING or p.parent != WAREHOUSE),
    ids=lambda p: str(p.relative_to(WAREHOUSE)),
)
def test_no_multiline_sql_in_python(path: Path) -> None:
    lines = multiline_sql(path.read_text(encoding="utf-8"))
    assert not lines, (
        f"{path.name}: multi-line SQL at lines {lines}; put it in warehouse/sql/<group>/<name>.sql"
    )
