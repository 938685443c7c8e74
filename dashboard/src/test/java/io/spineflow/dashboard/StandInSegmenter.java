package io.spineflow.dashboard;

import java.util.List;

/**
 * A stand-in for the U-Net in tests where the dashboard needs real predictions but no model can
 * run: a Gaussian naive-Bayes classifier of each pixel's intensity and its 3×3 neighbourhood mean,
 * fitted on unshifted phantom slices. Its probabilities are genuine posteriors, so its label-free
 * signals (confidence, entropy, areas, plausibility) and its Dice move with the images the way a
 * model's do: little on new patients of the same kind, a lot on shifted ones (another contrast,
 * more noise).
 */
final class StandInSegmenter {
  private static final int FEATURES = 2;
  static final double LIKELIHOOD_WEIGHT = 1.0;
  static final int BLUR_RADIUS = 3;
  private final double[] prior = new double[4];
  private final double[][] mean = new double[4][FEATURES];
  private final double[][] variance = new double[4][FEATURES];

  /** A prediction: softmax-like probabilities (C×H×W, class-major) and the argmax classes. */
  record Prediction(float[] probabilities, byte[] classes) {}

  /** Fitted on four phantom studies: what the dashboard ITs segment their traffic with. */
  static StandInSegmenter onPhantoms() {
    List<PhantomSlices.SliceData> training = new java.util.ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      training.addAll(
          PhantomSlices.study(
              io.spineflow.imaging.Sequence.values()[(int) (seed % 3)], seed, false));
    }
    return fit(training);
  }

  static StandInSegmenter fit(List<PhantomSlices.SliceData> training) {
    StandInSegmenter model = new StandInSegmenter();
    double[] count = new double[4];
    double[][] sum = new double[4][FEATURES];
    double[][] squares = new double[4][FEATURES];
    for (PhantomSlices.SliceData s : training) {
      double[][] f = features(s.pixels());
      for (int i = 0; i < s.label().length; i++) {
        int c = s.label()[i];
        count[c]++;
        for (int k = 0; k < FEATURES; k++) {
          sum[c][k] += f[k][i];
          squares[c][k] += f[k][i] * f[k][i];
        }
      }
    }
    double total = count[0] + count[1] + count[2] + count[3];
    for (int c = 0; c < 4; c++) {
      model.prior[c] = (count[c] + 1) / (total + 4);
      for (int k = 0; k < FEATURES; k++) {
        double m = count[c] == 0 ? 0.5 : sum[c][k] / count[c];
        model.mean[c][k] = m;
        model.variance[c][k] =
            Math.max(1e-3, count[c] == 0 ? 0.1 : squares[c][k] / count[c] - m * m);
      }
    }
    return model;
  }

  /** Intensity alone. */
  Prediction predict(float[] pixels) {
    return predict(pixels, null);
  }

  /**
   * The posterior of {@code prior(c) · likelihood(c)^LIKELIHOOD_WEIGHT}: the prior is the
   * ground-truth label blurred over a few pixels (standing in for the shape knowledge a trained
   * network has; it gets boundaries wrong, never whole structures), the likelihood the intensity
   * model fitted on unshifted slices (what the network learnt of contrast). On images like the
   * training ones the two agree; on shifted images the intensities mislead it.
   */
  Prediction predict(float[] pixels, byte[] anatomy) {
    return predict(pixels, anatomy, LIKELIHOOD_WEIGHT);
  }

  /** {@link #predict(float[], byte[])} with another weight of the intensity likelihood. */
  Prediction predict(float[] pixels, byte[] anatomy, double likelihoodWeight) {
    int n = pixels.length;
    double[][] f = features(pixels);
    double[][] shape = anatomy == null ? null : blurredOneHot(anatomy);
    float[] probabilities = new float[4 * n];
    byte[] classes = new byte[n];
    double[] logp = new double[4];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 4; c++) {
        double l = 0;
        for (int k = 0; k < FEATURES; k++) {
          double d = f[k][i] - mean[c][k];
          l -= 0.5 * (d * d / variance[c][k] + Math.log(variance[c][k]));
        }
        l = shape == null ? l + Math.log(prior[c]) : likelihoodWeight * l + Math.log(shape[c][i]);
        logp[c] = l;
        max = Math.max(max, l);
      }
      double z = 0;
      for (int c = 0; c < 4; c++) {
        logp[c] = Math.exp(logp[c] - max);
        z += logp[c];
      }
      int best = 0;
      for (int c = 0; c < 4; c++) {
        float p = (float) (logp[c] / z);
        probabilities[c * n + i] = p;
        if (p > probabilities[best * n + i]) {
          best = c;
        }
      }
      classes[i] = (byte) best;
    }
    return new Prediction(probabilities, classes);
  }

  /** Per class, the box-blurred one-hot label, floored so no class is impossible. */
  private static double[][] blurredOneHot(byte[] label) {
    int size = PhantomSlices.SIZE;
    double[][] out = new double[4][label.length];
    for (int c = 0; c < 4; c++) {
      double[] row = new double[label.length];
      for (int y = 0; y < size; y++) {
        double sum = 0;
        for (int x = -BLUR_RADIUS; x < size; x++) {
          int add = x + BLUR_RADIUS;
          int drop = x - BLUR_RADIUS - 1;
          if (add < size && label[add + size * y] == c) sum++;
          if (drop >= 0 && label[drop + size * y] == c) sum--;
          if (x >= 0) row[x + size * y] = sum;
        }
      }
      for (int x = 0; x < size; x++) {
        double sum = 0;
        for (int y = -BLUR_RADIUS; y < size; y++) {
          int add = y + BLUR_RADIUS;
          int drop = y - BLUR_RADIUS - 1;
          if (add < size) sum += row[x + size * add];
          if (drop >= 0) sum -= row[x + size * drop];
          if (y >= 0) out[c][x + size * y] = sum;
        }
      }
      double norm = (2 * BLUR_RADIUS + 1) * (2 * BLUR_RADIUS + 1);
      for (int i = 0; i < label.length; i++) {
        out[c][i] = Math.max(0.02, out[c][i] / norm);
      }
    }
    return out;
  }

  /** Intensity and 3×3 mean of each pixel of a SIZE×SIZE slice. */
  private static double[][] features(float[] pixels) {
    int size = PhantomSlices.SIZE;
    double[][] f = new double[FEATURES][pixels.length];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = x + size * y;
        f[0][i] = pixels[i];
        double s = 0;
        int m = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < size && yy < size) {
              s += pixels[xx + size * yy];
              m++;
            }
          }
        }
        f[1][i] = s / m;
      }
    }
    return f;
  }
}
