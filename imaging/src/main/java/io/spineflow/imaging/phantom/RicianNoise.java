package io.spineflow.imaging.phantom;

import java.util.random.RandomGenerator;

/**
 * MR magnitude noise: the image is the magnitude of a complex signal with independent Gaussian
 * noise on both channels, so the noise is Rician (Rayleigh in air, nearly Gaussian in bright
 * tissue) and biased upwards at low signal, which Gaussian noise would not reproduce.
 */
final class RicianNoise {
  private final double sigma;
  private final RandomGenerator random;

  RicianNoise(double sigma, RandomGenerator random) {
    this.sigma = sigma;
    this.random = random;
  }

  /** The noisy magnitude of a noise-free (real, non-negative) {@code signal}. */
  double corrupt(double signal) {
    double real = signal + sigma * random.nextGaussian();
    double imaginary = sigma * random.nextGaussian();
    return Math.sqrt(real * real + imaginary * imaginary);
  }
}
