"""Trust: accounts and sign-in, the permission policy, the audit log, erasure and backups."""
