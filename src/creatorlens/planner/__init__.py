"""creatorlens.planner"""
