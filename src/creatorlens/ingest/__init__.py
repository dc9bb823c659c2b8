"""creatorlens.ingest"""
