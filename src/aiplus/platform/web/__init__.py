"""The server-rendered, bilingual web portal (Jinja2 + HTMX), each page with a JSON twin."""
