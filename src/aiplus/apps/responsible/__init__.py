"""Responsible AI: the model registry, Ethical AI impact assessment, assurance tests and drift
monitoring, for every model on the platform (Ethical AI Framework §14, PCPD Model Framework
§20, explainable AI in finance §18)."""
