"""Text: Document -> sentences and claims (what can be corroborated, and why not)."""
