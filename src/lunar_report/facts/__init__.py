"""The fact base: schema, validation, loading and dates. Runs in the notebook kernel and on the host."""

from datetime import date

# The dates the reports support: data dates outside it fail validation, and so does --as-of.
EARLIEST_DATE, LATEST_DATE = date(1950, 1, 1), date(2199, 12, 31)
