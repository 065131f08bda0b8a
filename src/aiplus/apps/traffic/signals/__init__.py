"""Adaptive traffic signals: controllers for SUMO, pedestrian awareness and their evaluation (§31).

The traffic App joins ``card`` (model cards and jobs) and the ``api``/``web`` routers; ``bench.run_signals_bench`` feeds ``aiplus bench traffic``.
"""
