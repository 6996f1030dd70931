"""Internals of the reverse-funnel calculator. Import from :mod:`funnel.calculator` instead."""
