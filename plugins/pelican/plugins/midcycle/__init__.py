"""midcycle in Pelican's plugin namespace, where Pelican finds installed
plugins by itself: ``PLUGINS = ["midcycle"]`` (or no ``PLUGINS`` at all)
loads this, which is midcycle as its own package ``midcycle`` has it."""

from midcycle import register

__all__ = ["register"]
