"""A third-party plugin used by the core test suite (installed in CI, never published)."""
