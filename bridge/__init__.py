"""Sync rules connecting Auvo to Conta Azul or Bling (in progress)."""
