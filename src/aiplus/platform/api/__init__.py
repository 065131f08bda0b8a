"""The platform's own JSON API: system endpoints, identity, jobs and the audit log."""
