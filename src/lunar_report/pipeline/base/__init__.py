"""The ground floor: signals, child processes, atomic writes, TeX and shared words; nothing of the pipeline below it."""
