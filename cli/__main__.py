"""`python -m cli …`: the same commands as `python -m etl …`."""

import sys

from cli.main import main

sys.exit(main())
