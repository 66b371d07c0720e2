"""Django's PostgreSQL backend with the worker's database breaker (see ``base``)."""
