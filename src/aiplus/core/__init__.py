"""Core services every pillar and application stands on; imports nothing else of ours."""
