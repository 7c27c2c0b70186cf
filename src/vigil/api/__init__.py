"""The HTTP API: thin FastAPI routers that validate, authorise (through services) and delegate."""
