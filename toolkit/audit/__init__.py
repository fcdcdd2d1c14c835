"""Audit: checks that yield findings over documents and catalogs, and reporters."""

from toolkit.audit.findings import Finding, Severity

__all__ = ["Finding", "Severity"]
