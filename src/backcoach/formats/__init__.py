"""The edges: files people hand to backcoach, validated into engine objects with clear errors."""
