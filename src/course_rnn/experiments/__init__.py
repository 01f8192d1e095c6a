"""Experiments too long to run live in a chapter, with the command that regenerates their cache."""
