"""The papers' competitors, computed by the package: reverse channel coding of the Gaussian
test channel (:mod:`rdptheory.baselines.rcc`), entropy-constrained vector quantization
(:mod:`rdptheory.baselines.ecvq`), deterministic and noise-proxy NTC under a perception penalty
(:mod:`rdptheory.baselines.deterministic`) and the RCC/SD-LTC side-by-side runs
(:mod:`rdptheory.baselines.compare`). See docs/baselines.md."""
