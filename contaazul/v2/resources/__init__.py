"""The resources of ``ContaAzul``: one module per domain, each class bound to a client."""
