"""creatorlens.report"""
