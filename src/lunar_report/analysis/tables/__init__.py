"""Reader's tables built from the queries: one module per report, each table citing its rows' sources."""
