"""rdptheory: rate-distortion-perception theory with lattices, as numbers anyone can check."""
__version__ = "0.1.0"
