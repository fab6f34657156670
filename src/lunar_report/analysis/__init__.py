"""What report notebooks call inside the kernel: queries, figures, prose, tables. Never imports the build."""
