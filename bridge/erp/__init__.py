"""The ERPs the bridge syncs Auvo with: the port (``bridge.erp.port``), one module per ERP,
and the registry (``bridge.erp.registry``) that lists them."""
