"""The web app: create_app(settings) in app.py, pages in routes/, typed dependencies in deps.py."""
