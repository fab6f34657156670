"""Running reports: the orchestration, one report's job, the local pool and warm kernels, papermill, nbconvert, a Dask cluster, and what a run commits."""
