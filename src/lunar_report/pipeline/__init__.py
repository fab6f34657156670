"""The host side: it validates, runs the report notebooks on kernels, and writes and publishes what they make.

Its rooms, each importing only the rooms below it (an import-linter contract in pyproject.toml):

- ``preview``  `lunar-report preview`: watch, re-render what an edit affects, serve with reload.
- ``run``      running reports: the orchestration (render), one report's job, the local pool and
               warm kernels, papermill, nbconvert, a Dask cluster, and what a run commits.
- ``site``     the published site, made from the store: links, front page, editions page, feed,
               search, claim pages, the combined PDF, and the templates.
- ``store``    the output folder as a small database: its lock and temp folders, commits, the
               manifest, fingerprints, editions, what changed, restore and repair.
- ``config``   what is asked: reports.toml, the user's settings, limits, paper, the site's address,
               and every check made before a report runs.
- ``base``     signals, child processes, atomic writes, xelatex and shared words.
"""
