"""The participant's side (Flower ClientApp): trains on data that never leaves the bank."""
