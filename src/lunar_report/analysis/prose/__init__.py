"""What the reports say in sentences: one module per report, each function a list of `display.Sentence`."""
