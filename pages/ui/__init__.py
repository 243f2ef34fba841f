"""Shared pieces of the dashboard pages: Russian formats, chart builders, filters, exports, cached data."""
