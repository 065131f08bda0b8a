"""The platform: the FastAPI app factory, the application contract, the web portal."""
