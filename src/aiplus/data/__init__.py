"""Data pillar: open data catalogue, DataStore, spatial, governance."""
