"""Portal views: marketing pages, docs, accounts and the dashboard.

They read the registry and the Plan rows and call the billing and generations
services; no business logic lives here.
"""
