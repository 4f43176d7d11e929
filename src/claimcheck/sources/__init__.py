"""Sources: attribution (who says it) and independence (copies, wires, relays, origins)."""
