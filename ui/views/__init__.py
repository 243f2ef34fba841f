"""Pure shaping of tables and plotly figures for the pages: no streamlit import (an import-linter contract),
so every function here is unit-tested without a running app."""
