"""The load summary in Russian: what `python -m etl load` prints and the upload page shows under its table."""

from __future__ import annotations

from typing import TextIO

from etl import messages
from etl.contract import DATASETS


def print_summary(result: object, out: TextIO) -> None:
    """What a load did, file by file, then the totals: `python -m etl load` prints it, the upload page shows it."""
    from etl.loader import LoadResult

    assert isinstance(result, LoadResult)
    print(messages.CLI_WAREHOUSE.format(db=result.db_path), file=out)
    for f in result.files:
        print(file=out)
        print(messages.CLI_FILE_HEADER.format(file=f.source_file), file=out)
        if f.dataset:
            print(messages.CLI_DATASET.format(dataset=DATASETS[f.dataset].title_ru), file=out)
        print(
            messages.CLI_COUNTS.format(
                read=f.rows_read, loaded=f.rows_loaded, quarantined=f.rows_quarantined, warnings=f.warnings
            ),
            file=out,
        )
        print(messages.CLI_STATUS[f.status], f.message_ru, file=out)
        if f.errors:
            print(messages.CLI_FIRST_ERRORS, file=out)
            for error in f.errors:
                print(f"    – {error}", file=out)
            if f.errors_total > len(f.errors):
                print(messages.CLI_MORE_ERRORS.format(n=f.errors_total - len(f.errors)), file=out)
    print(file=out)
    print(
        messages.CLI_TOTAL.format(
            files=len(result.files),
            # rows a later file of the same load replaced are not in the warehouse: counted once, there
            loaded=sum(f.rows_loaded - f.rows_replaced for f in result.files),
            quarantined=sum(f.rows_quarantined for f in result.files),
            rejected=sum(f.status == "rejected" for f in result.files),
        ),
        file=out,
    )
