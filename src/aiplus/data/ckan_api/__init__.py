"""CKAN Action API v3: every action a plain function with a name, as CKAN itself does."""
