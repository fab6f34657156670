"""The output folder as a small database: its lock and temp folders, commits, the manifest, fingerprints, editions and what changed."""
