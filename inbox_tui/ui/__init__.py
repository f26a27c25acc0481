"""The Textual UI. It reads the store and asks the sync engine for freshness; no HTTP here."""
