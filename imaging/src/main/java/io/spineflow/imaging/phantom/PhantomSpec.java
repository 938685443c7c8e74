package io.spineflow.imaging.phantom;

import io.spineflow.imaging.Sequence;
import java.util.Objects;

/**
 * What phantom study to generate. The same spec always gives byte-identical images.
 *
 * <p>The seed is the patient: the same seed gives the same anatomy and array layout for every
 * sequence (like a SPIDER patient's t1, t2 and t2_SPACE series) and with or without the shift; the
 * sequence then decides the acquisition geometry and contrast.
 *
 * @param sequence the MR sequence to imitate
 * @param seed the patient (anatomy, layout) and, with the sequence, everything else
 * @param shift generate the distribution-shifted variant (see {@link PhantomGenerator})
 * @param sizeScale resolution factor: 1 gives SPIDER-like studies, 0.5 halves the in-plane voxel
 *     counts (a quarter of the voxels, same anatomy and field of view) for fast tests; T2 SPACE
 *     also halves its sagittal count, so its slices stay the thickest axis
 * @param layout the array layout to use, or null for one drawn from the seed
 * @param randomised generate a randomised study (see {@link PhantomGenerator}): random contrast per
 *     tissue, random resolution and artefacts, wider anatomy; the sequence then only names the
 *     study. Cannot be combined with {@code shift}
 */
public record PhantomSpec(
    Sequence sequence,
    long seed,
    boolean shift,
    double sizeScale,
    VoxelGridLayout layout,
    boolean randomised) {

  public PhantomSpec {
    Objects.requireNonNull(sequence, "sequence");
    if (!(sizeScale >= 0.1 && sizeScale <= 2)) {
      throw new IllegalArgumentException("sizeScale must be in [0.1, 2]: " + sizeScale);
    }
    if (shift && randomised) {
      throw new IllegalArgumentException(
          "shift and randomised cannot be combined: a randomised study has no fixed contrast to"
              + " shift");
    }
  }

  /** A study in the default (not randomised) mode. */
  public PhantomSpec(
      Sequence sequence, long seed, boolean shift, double sizeScale, VoxelGridLayout layout) {
    this(sequence, seed, shift, sizeScale, layout, false);
  }

  /** A full-size, unshifted study in the seed's own layout. */
  public static PhantomSpec of(Sequence sequence, long seed) {
    return new PhantomSpec(sequence, seed, false, 1.0, null);
  }

  public PhantomSpec withShift(boolean shift) {
    return new PhantomSpec(sequence, seed, shift, sizeScale, layout, randomised);
  }

  public PhantomSpec withSizeScale(double sizeScale) {
    return new PhantomSpec(sequence, seed, shift, sizeScale, layout, randomised);
  }

  /** The same study stored in {@code layout} (null: the seed's own). */
  public PhantomSpec withLayout(VoxelGridLayout layout) {
    return new PhantomSpec(sequence, seed, shift, sizeScale, layout, randomised);
  }

  /** The randomised (or default) variant of this study. */
  public PhantomSpec withRandomised(boolean randomised) {
    return new PhantomSpec(sequence, seed, shift, sizeScale, layout, randomised);
  }

  /**
   * {@code phantom-<seed>}, {@code phantom-<seed>-shift} or {@code phantom-<seed>-random}: the
   * patient part of names.
   */
  public String patientId() {
    return "phantom-" + seed + (shift ? "-shift" : "") + (randomised ? "-random" : "");
  }

  /** {@code phantom-<seed>[-shift|-random]-<suffix>}, e.g. {@code phantom-7-t2_SPACE}. */
  public String studyId() {
    return patientId() + "-" + sequence.suffix();
  }

  /** SPIDER's file-name stem {@code <id>_<suffix>}, e.g. {@code phantom-7_t1}. */
  public String fileStem() {
    return patientId() + "_" + sequence.suffix();
  }
}
