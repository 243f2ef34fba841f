"""Entry point: `python -m etl …` forwards to the product's command line (cli/main.py)."""

import sys

from cli.main import main

sys.exit(main())
