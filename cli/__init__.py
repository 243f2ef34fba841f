"""The command line of the product (`python -m cli …`, and `python -m etl …` forwards here): see cli/main.py."""
