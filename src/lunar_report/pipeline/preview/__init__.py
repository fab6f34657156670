"""`lunar-report preview`: watch, re-render what an edit affects, serve on localhost with reload."""
