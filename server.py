"""What `make run` serves: the Streamlit app (app.py, the router) with the two sign-in session routes
(ui/routes.py) beside it. `streamlit run server.py` finds `app` and serves it with uvicorn; AppTest and
`streamlit run app.py` still run app.py itself (without the routes a session ends with the tab, as before)."""

import streamlit as st

from ui import routes

app = st.App("app.py", routes=routes.ROUTES)
