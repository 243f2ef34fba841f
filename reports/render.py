"""DOCX → PDF → PNG pages with LibreOffice and pdftoppm, to look at a document as it prints.

    python -m reports.render spravka.docx --out pages/ [--pages 1-3] [--dpi 80]

Writes `<stem>.pdf` and `<stem>-<page>.png` into the folder and prints their names. The tests use
`render_pdf` and `pdf_text` to check the printed text (e.g. that no word in a table cell is broken).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LIBREOFFICE = ("libreoffice", "soffice")


def libreoffice() -> str | None:
    """The LibreOffice executable, if installed."""
    for name in LIBREOFFICE:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    """Whether both LibreOffice and poppler (pdftoppm, pdftotext) are installed."""
    return bool(libreoffice() and shutil.which("pdftoppm") and shutil.which("pdftotext"))


def render_pdf(docx: Path, out_dir: Path, timeout: float = 240) -> Path:
    """Convert `docx` to PDF in `out_dir` (a private LibreOffice profile, so a running office is not used)."""
    office = libreoffice()
    if office is None:
        raise RuntimeError("LibreOffice is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def render_png(
    pdf: Path, out_dir: Path, first: int = 1, last: int | None = None, dpi: int = 80
) -> list[Path]:
    """Pages `first`..`last` of `pdf` as PNG files `<stem>-<page>.png`."""
    command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run(
        [*command, str(pdf), str(out_dir / pdf.stem)], check=True, capture_output=True, timeout=120
    )
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def pdf_text(pdf: Path, raw: bool = False) -> str:
    """The text of the PDF: in page layout (pdftotext -layout), or `raw` in reading order (a table cell's
    lines follow each other)."""
    done = subprocess.run(
        ["pdftotext", "-raw" if raw else "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.render", description="DOCX → PDF → PNG")
    parser.add_argument("docx", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDF and the PNG pages")
    parser.add_argument("--pages", default="1-2", help="pages, e.g. 1-3 or 2 (default 1-2)")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    if not available():
        print("Нужны LibreOffice и poppler-utils (pdftoppm, pdftotext).", file=sys.stderr)
        return 2
    first_text, _, last_text = args.pages.partition("-")
    first = int(first_text)
    last = int(last_text) if last_text else first
    pdf = render_pdf(args.docx, args.out)
    for path in [pdf, *render_png(pdf, args.out, first, last, args.dpi)]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
