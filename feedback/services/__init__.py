"""The operations of the service: plain functions over a database session.

They take the session and plain values, return domain objects, raise named
errors, flush and never commit: the view (or command) commits once.
"""
