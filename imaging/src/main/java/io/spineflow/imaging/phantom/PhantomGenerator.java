package io.spineflow.imaging.phantom;

import io.spineflow.imaging.ElementType;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Generates synthetic SPIDER-like labelled lumbar-spine MR studies, deterministically from a seed.
 *
 * <p>A study is made in four steps: a random patient ({@link SpineAnatomy}: 5-7 visible vertebrae
 * with posterior elements on a lordotic curve, discs, canal, sacrum, muscle, fat, viscera, vessels,
 * all in millimetres); a SPIDER-like acquisition grid over it ({@link FieldOfViewPlanner}: thick
 * sagittal slices, tilted a few degrees, the top vertebra cut by the field of view); sampling, with
 * several sub-samples across each thick slice for partial-volume blur and the label taken at the
 * voxel centre; and MR appearance ({@link ContrastModel} per sequence, {@link TextureField}, an
 * in-plane point-spread blur, {@link BiasField}, {@link RicianNoise}). The volumes are computed in
 * patient order and only then stored in the study's {@link VoxelGridLayout}, one of 48 axis orders
 * and flips drawn from the seed unless the spec forces one.
 *
 * <p>With {@link PhantomSpec#shift()} the same patient and grid are imaged as by a low-field
 * scanner on an older cohort (see {@link ContrastModel}): compressed contrast and lower gain (the
 * intensity histogram moves down and narrows), dehydrated discs on T2/T2 SPACE and dark marrow on
 * T1 (the disc-versus-vertebra contrast the segmentation relies on mostly vanishes, so prediction
 * entropy rises and predicted class areas drift), 2.6 times the Rician noise and a much steeper
 * bias field.
 *
 * <p>With {@link PhantomSpec#randomised()} the study follows SynthSeg's idea (Billot et al. 2023)
 * instead: a patient from much wider anatomical ranges ({@link SpineAnatomy#randomWide}: 5-10
 * vertebrae up to the lower thoracic spine, varied sizes, thin and degenerated discs, narrow and
 * wide canals, any lordosis, varied fat and muscle), a random acquisition ({@link
 * FieldOfViewPlanner#planRandomised}: 1-6.5 mm slices, 0.5-1.4 mm pixels, fields of view down
 * through the sacrum and out past the abdomen) and random appearance ({@link RandomisedRenderer}: a
 * random mean, texture and spread per tissue, partial volume, motion, blur, ghosting, gamma, bias
 * and noise). Labels, label values, layouts and geometry follow the same rules as in the default
 * mode.
 *
 * <p>Randomness comes only from {@link SplittableRandom}s seeded from the spec; planes are computed
 * in parallel, each with its own seeded stream, so results do not depend on threading.
 * Transcendental functions go through {@link StrictMath}, so a spec gives the same bytes on any
 * platform running the same Java release (Gaussian sampling is the JDK's own algorithm).
 */
public final class PhantomGenerator {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  // Keeps the random streams of randomised studies apart from those of default ones.
  private static final long RANDOMISED_STREAM = 0x5DEECE66DL;

  /** Generates the study {@code spec} describes. */
  public PhantomStudy generate(PhantomSpec spec) {
    SplittableRandom patient = new SplittableRandom(spec.seed());
    SpineAnatomy anatomy =
        spec.randomised()
            ? SpineAnatomy.randomWide(patient.split())
            : SpineAnatomy.random(patient.split());
    SplittableRandom layoutRandom = patient.split();
    VoxelGridLayout layout =
        spec.layout() != null ? spec.layout() : VoxelGridLayout.random(layoutRandom);

    PatientGrid grid;
    double[] signal;
    int[] labels;
    if (spec.randomised()) {
      SplittableRandom study =
          new SplittableRandom(
              (spec.seed() * GOLDEN + spec.sequence().ordinal() + 1) ^ RANDOMISED_STREAM);
      grid = FieldOfViewPlanner.planRandomised(anatomy, spec.sizeScale(), study.split());
      signal = new double[grid.voxelCount()];
      labels = new int[grid.voxelCount()];
      RandomisedRenderer.render(anatomy, grid, study.split(), signal, labels);
    } else {
      SplittableRandom study =
          new SplittableRandom(spec.seed() * GOLDEN + spec.sequence().ordinal() + 1);
      grid = FieldOfViewPlanner.plan(anatomy, spec.sequence(), spec.sizeScale(), study.split());
      signal = new double[grid.voxelCount()];
      labels = new int[grid.voxelCount()];
      renderDefault(spec, anatomy, grid, study, signal, labels);
    }
    return assemble(spec, anatomy, grid, layout, signal, labels);
  }

  /** The default mode's appearance: sequence contrast, texture, blur, bias field and noise. */
  private static void renderDefault(
      PhantomSpec spec,
      SpineAnatomy anatomy,
      PatientGrid grid,
      SplittableRandom study,
      double[] signal,
      int[] labels) {
    ContrastModel contrast = ContrastModel.sample(spec.sequence(), spec.shift(), study.split());
    BiasField bias = BiasField.random(study.split(), spec.shift());
    TextureField texture = TextureField.random(grid, study.split());
    long noiseSeed = study.nextLong();
    IntStream.range(0, grid.count(2))
        .parallel()
        .forEach(k -> samplePlane(anatomy, grid, contrast, texture, k, signal, labels));
    blurInPlane(grid, signal);
    IntStream.range(0, grid.count(2))
        .parallel()
        .forEach(
            k ->
                biasAndNoise(
                    grid,
                    bias,
                    new RicianNoise(
                        contrast.noiseSigma(), new SplittableRandom(noiseSeed + GOLDEN * (k + 1))),
                    k,
                    signal));
  }

  /**
   * What the generator knows about each level of {@code spec}'s patient (lowest first), for
   * checking measurements against: rebuilds the patient from the seed exactly as {@link #generate}
   * does, without sampling any voxel, so generated studies are unchanged.
   */
  public List<PhantomLevel> levels(PhantomSpec spec) {
    SplittableRandom patient = new SplittableRandom(spec.seed());
    SpineAnatomy anatomy =
        spec.randomised()
            ? SpineAnatomy.randomWide(patient.split())
            : SpineAnatomy.random(patient.split());
    List<PhantomLevel> levels = new ArrayList<>();
    for (int i = 1; i <= anatomy.levels(); i++) {
      levels.add(anatomy.levelTruth(i));
    }
    return levels;
  }

  /** Marks partly visible vertebrae and stores image and mask in the study's array layout. */
  private static PhantomStudy assemble(
      PhantomSpec spec,
      SpineAnatomy anatomy,
      PatientGrid grid,
      VoxelGridLayout layout,
      double[] signal,
      int[] labels) {
    int voxels = grid.voxelCount();
    List<Integer> partlyVisible = markPartlyVisible(grid, labels);

    int[] arrayToCanonical = grid.arrayToCanonical(layout);
    double[] imageValues = new double[voxels];
    byte[] maskBytes = new byte[voxels];
    TreeSet<Integer> present = new TreeSet<>();
    for (int m = 0; m < voxels; m++) {
      int c = arrayToCanonical[m];
      imageValues[m] = signal[c];
      maskBytes[m] = (byte) labels[c];
      present.add(labels[c]);
    }
    ImageGeometry geometry = grid.geometry(layout);
    Image image = Image.fromDoubles(geometry, ElementType.USHORT, imageValues);
    Image mask = new Image(geometry, ElementType.UCHAR, maskBytes);
    return new PhantomStudy(
        spec, image, mask, truth(anatomy, grid, layout, present, partlyVisible));
  }

  private static void samplePlane(
      SpineAnatomy anatomy,
      PatientGrid grid,
      ContrastModel contrast,
      TextureField texture,
      int k,
      double[] signal,
      int[] labels) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    double[] stepX = scaled(grid.axis(0), grid.spacing(0));
    // Sub-samples across the slice thickness, about 1 mm apart; an odd count so the middle one is
    // the voxel centre, where the label is read.
    double thickness = grid.spacing(0);
    int subSamples = 2 * (int) Math.floor(thickness / 2.0) + 1;
    double[][] offsets = new double[subSamples][];
    for (int s = 0; s < subSamples; s++) {
      offsets[s] = scaled(grid.axis(0), ((s + 0.5) / subSamples - 0.5) * thickness);
    }
    int centreSample = subSamples / 2;
    TissueSample sample = new TissueSample();
    double[] textureRow = new double[nx];
    for (int j = 0; j < ny; j++) {
      texture.fillRow(j, k, textureRow);
      double[] rowStart = grid.position(0, j, k);
      int index = nx * (j + ny * k);
      for (int i = 0; i < nx; i++, index++) {
        double x = rowStart[0] + i * stepX[0];
        double y = rowStart[1] + i * stepX[1];
        double z = rowStart[2] + i * stepX[2];
        double sum = 0;
        int label = 0;
        for (int s = 0; s < subSamples; s++) {
          double[] o = offsets[s];
          anatomy.classify(x + o[0], y + o[1], z + o[2], sample);
          double value = contrast.intensity(sample.tissue, sample.mix);
          sum += value * (1 + contrast.textureAmplitude(sample.tissue) * textureRow[i]);
          if (s == centreSample) {
            label = sample.label;
          }
        }
        signal[index] = Math.max(0, sum / subSamples);
        labels[index] = label;
      }
    }
  }

  /**
   * A [1 2 1]/4 blur along both in-plane axes: the finite k-space sampling of MR softens edges; the
   * through-plane blur is already there from the sub-samples.
   */
  private static void blurInPlane(PatientGrid grid, double[] signal) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    int nz = grid.count(2);
    blurAxis(signal, nx, ny, nz, nx, ny);
    blurAxis(signal, nx, ny, nz, nx * ny, nz);
  }

  private static void blurAxis(double[] signal, int nx, int ny, int nz, int stride, int length) {
    int lines = nx * ny * nz / length;
    IntStream.range(0, lines)
        .parallel()
        .forEach(
            line -> {
              // Line index -> the first voxel of a line along the axis with this stride.
              int start = stride == nx ? (line % nx) + (line / nx) * nx * ny : line;
              double[] copy = new double[length];
              for (int q = 0; q < length; q++) {
                copy[q] = signal[start + q * stride];
              }
              for (int q = 0; q < length; q++) {
                double before = copy[Math.max(0, q - 1)];
                double after = copy[Math.min(length - 1, q + 1)];
                signal[start + q * stride] = 0.25 * before + 0.5 * copy[q] + 0.25 * after;
              }
            });
  }

  private static void biasAndNoise(
      PatientGrid grid, BiasField bias, RicianNoise noise, int k, double[] signal) {
    int nx = grid.count(0);
    int ny = grid.count(1);
    int nz = grid.count(2);
    double w = normalised(k, nz);
    int index = nx * ny * k;
    for (int j = 0; j < ny; j++) {
      double v = normalised(j, ny);
      for (int i = 0; i < nx; i++, index++) {
        signal[index] = noise.corrupt(signal[index] * bias.at(normalised(i, nx), v, w));
      }
    }
  }

  private static double normalised(int index, int count) {
    return (2.0 * index + 1) / count - 1;
  }

  /**
   * Relabels vertebrae that touch the top or bottom of the field of view as partly visible (100 +
   * their number), as SPIDER does, and returns those new labels.
   */
  private static List<Integer> markPartlyVisible(PatientGrid grid, int[] labels) {
    int plane = grid.count(0) * grid.count(1);
    int lastPlane = plane * (grid.count(2) - 1);
    TreeSet<Integer> cut = new TreeSet<>();
    for (int q = 0; q < plane; q++) {
      for (int label : new int[] {labels[q], labels[lastPlane + q]}) {
        if (label >= 1 && label < SpineAnatomy.CANAL_LABEL) {
          cut.add(label);
        }
      }
    }
    if (!cut.isEmpty()) {
      for (int q = 0; q < labels.length; q++) {
        if (labels[q] >= 1 && labels[q] < SpineAnatomy.CANAL_LABEL && cut.contains(labels[q])) {
          labels[q] += SpineAnatomy.CANAL_LABEL;
        }
      }
    }
    List<Integer> partly = new ArrayList<>();
    cut.forEach(v -> partly.add(v + SpineAnatomy.CANAL_LABEL));
    return partly;
  }

  private static PhantomTruth truth(
      SpineAnatomy anatomy,
      PatientGrid grid,
      VoxelGridLayout layout,
      TreeSet<Integer> present,
      List<Integer> partlyVisible) {
    List<Integer> vertebrae = new ArrayList<>();
    List<Integer> discs = new ArrayList<>();
    for (int label : present) {
      if (label >= 1 && label <= 125 && label != SpineAnatomy.CANAL_LABEL) {
        vertebrae.add(label);
      } else if (label > SpineAnatomy.DISC_LABEL_BASE) {
        discs.add(label);
      }
    }
    int sagittal = layout.arrayAxis(PatientAxis.LEFT_RIGHT);
    double[] midline = anatomy.point(anatomy.bodyTop(anatomy.visibleVertebrae()) / 2, 0, 0);
    int mid = (int) Math.round(grid.continuousIndex(midline)[0]);
    mid = Math.max(0, Math.min(grid.count(0) - 1, mid));
    if (layout.flipped(sagittal)) {
      mid = grid.count(0) - 1 - mid;
    }
    return new PhantomTruth(
        layout,
        sagittal,
        layout.arrayAxis(PatientAxis.ANTERIOR_POSTERIOR),
        layout.arrayAxis(PatientAxis.INFERIOR_SUPERIOR),
        vertebrae.size(),
        vertebrae,
        discs,
        partlyVisible,
        mid,
        anatomy.lordosisRadius(),
        grid.rotationDegrees());
  }

  private static double[] scaled(double[] vector, double factor) {
    return new double[] {vector[0] * factor, vector[1] * factor, vector[2] * factor};
  }
}
