"""Compute pillar: long work runs as jobs, locally by default and on Ray to scale out."""
