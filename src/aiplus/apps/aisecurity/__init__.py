"""The GenAI gateway and AI security monitor: one guarded way to every generative model."""
