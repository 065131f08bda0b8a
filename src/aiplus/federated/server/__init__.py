"""The coordinator's side (Flower ServerApp): strategies, screening, privacy, workflows."""
