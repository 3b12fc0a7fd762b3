"""Measurements of the product's output against data written by others.

- :mod:`evaluation.digest`: the generated Digest Hub against published news
  highlights (``invoke eval-digest``).
"""
