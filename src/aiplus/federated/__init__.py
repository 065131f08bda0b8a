"""Federated learning on Flower: horizontal and vertical, simulated or deployed."""
