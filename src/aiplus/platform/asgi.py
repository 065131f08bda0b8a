"""The ASGI application uvicorn serves, configured from ``AIPLUS_*`` variables."""

from aiplus.platform.app import create_app

app = create_app()
