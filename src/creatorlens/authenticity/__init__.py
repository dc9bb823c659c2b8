"""creatorlens.authenticity"""
