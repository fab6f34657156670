"""The host-side build: configuration, execution, export, fingerprints, manifest, index and rendering."""
