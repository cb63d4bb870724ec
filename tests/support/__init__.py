"""Test machinery: free ports, a throwaway PostgreSQL, a live ASGI server and a real browser.

Nothing here is imported by the application; the fixtures in tests/conftest.py wrap it.
"""
