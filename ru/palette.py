"""The colours of institution types and of the municipality line: the dashboards' plotly figures
(ui/views/charts.py) and the documents' matplotlib charts (reports/passport.py) draw with the same ones."""

TYPE_COLORS = {"school": "#3366CC", "preschool": "#F28E2B", "additional": "#59A14F"}
MUNICIPALITY_COLOR = "#7F7F7F"
