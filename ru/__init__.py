"""Russian-language pieces every layer needs (number, percent and date formats, shared labels); imports nothing
of the project."""
