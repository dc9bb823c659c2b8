"""creatorlens.audience"""
