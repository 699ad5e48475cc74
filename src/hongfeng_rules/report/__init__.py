"""The compliance report model and its renderers (one module per format)."""
from .model import ComplianceReport, Finding, Subject, SubjectSummary

__all__ = ["ComplianceReport", "Finding", "Subject", "SubjectSummary"]
