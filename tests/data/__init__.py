"""Tests for the data pillar."""
