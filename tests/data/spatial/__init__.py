"""Tests for the spatial data module (aiplus.data.spatial)."""
