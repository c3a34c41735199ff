"""auditor: an omnichannel service consistency auditor."""

__version__ = "0.1.0"
__all__ = ["__version__"]
