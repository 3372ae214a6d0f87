"""The papers' competitors, computed by the package: reverse channel coding
(:mod:`rdptheory.baselines.rcc`) and entropy-constrained quantizers
(:mod:`rdptheory.baselines.ecvq`)."""
