"""Federated learning: SME credit assessment across banks and insurers on Flower (§11)."""
