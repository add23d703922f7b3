"""Staff accounts, the audit log and the staff commands."""
