"""The AI register: every application and model on the platform, with its assessment.

The platform's own first application, built on the same contract as any other: an API, web
pages, a job, a benchmark and an impact-assessment record.
"""
