"""The version, in its own module so that engine and package code never import the package root
(which would pull in the public API and everything behind it)."""

__version__ = "0.1.0"
