"""Report figures: one module per report, sharing `style` (palette, figure, source note)."""
