"""creatorlens.metrics"""
