"""Readers turn source files into typed documents. They never render pages."""
