"""creatorlens.web"""
