"""AI Plus: an open, self-hostable platform for Hong Kong's AI Plus strategy."""

__version__ = "0.1.0"
