"""The figures of metrics.md (issue 6) as SQL aggregates over the track tables; no Flask.

`figures.py` names every figure as numerator and denominator terms, `sources.py` says what each term means in
SQL, `compute.py` turns a scope and periods into a few GROUP BY statements, `drill.py` lists the rows behind a
term, `dashboard.py` gathers what the supervisor's page shows.
"""
