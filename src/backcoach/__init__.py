"""backcoach: a self-hosted coach for non-specific low back pain."""

__version__ = "0.1.0"
