"""creatorlens.content"""
