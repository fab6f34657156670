"""One function per section of a report notebook: its sentences, tables and figures in reading order."""
