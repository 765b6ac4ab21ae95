"""SLA settings the app sets from its configuration (the domain reads them here, never from Flask)."""

# deadlines.md rule 4: whether an official make-up working day (调休上班日) ends a period.
MAKEUP_WORKDAY_ENDS_PERIOD = True
