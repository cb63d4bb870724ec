"""The JSON API at /api/v1: the same services as the pages, for scripts, apps and other software."""
