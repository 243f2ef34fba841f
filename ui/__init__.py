"""The Streamlit helpers of the dashboards: the only code besides pages/ that imports streamlit (widgets,
filters, sign-in forms, the page context and its cached data access, the upload widget)."""
