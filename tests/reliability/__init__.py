"""Fault injection, bad input, hostile pages, crash safety and tamper evidence (issue 8)."""
