"""creatorlens.ingest.payloads"""
