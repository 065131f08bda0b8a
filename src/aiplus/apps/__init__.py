"""Applications hosted on the platform; each folder exposes one ``App``."""
