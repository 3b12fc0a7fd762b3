"""``invoke bench``: this project's build against plain Pelican on a synthetic corpus.

- :mod:`bench.corpus` writes a deterministic roundup-shaped corpus;
- :mod:`bench.child` runs one build in its own process and reports on it;
- :mod:`bench.run` alternates the two configurations and summarises;
- :mod:`bench.profile` attributes the time of one build to its stages.
"""
