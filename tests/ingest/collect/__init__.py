"""The collectors' tests and their API emulators."""
