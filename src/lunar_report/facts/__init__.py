"""The fact base: schema, validation, loading and dates. Runs in the notebook kernel and on the host."""
