package io.spineflow.imaging.phantom;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How a phantom's voxel array is laid out over the patient: which patient axis each array axis runs
 * along and in which direction. SPIDER files differ in exactly this (the sagittal axis is not
 * always array axis 0, and some files are flipped), so the generator draws a layout per seed, and
 * tests can force one to get the same anatomy in several layouts.
 *
 * <p>The layout is written as a three-letter orientation code, one letter per array axis ({@code
 * size[0]} first), naming the patient direction in which that axis' index grows, as nibabel's axis
 * codes do: {@code "LPS"} is the identity layout (index 0 grows towards the patient's left, 1
 * towards posterior, 2 towards superior); {@code "PIL"} puts anterior-to-posterior on axis 0,
 * superior-to-inferior on axis 1 (a flipped axis) and the sagittal axis last.
 *
 * @param code three letters, one of L/R, one of P/A and one of S/I, in any order
 */
public record VoxelGridLayout(String code) {

  /** Index 0 grows towards left, 1 towards posterior, 2 towards superior: identity direction. */
  public static final VoxelGridLayout IDENTITY = new VoxelGridLayout("LPS");

  public VoxelGridLayout {
    code = code.toUpperCase(Locale.ROOT);
    Set<PatientAxis> seen = EnumSet.noneOf(PatientAxis.class);
    if (code.length() != 3) {
      throw new IllegalArgumentException("layout code needs 3 letters: " + code);
    }
    for (int i = 0; i < 3; i++) {
      if (!seen.add(PatientAxis.ofLetter(code.charAt(i)))) {
        throw new IllegalArgumentException("layout code repeats a patient axis: " + code);
      }
    }
  }

  /** The layout with this orientation code, e.g. {@code VoxelGridLayout.of("AIR")}. */
  public static VoxelGridLayout of(String code) {
    return new VoxelGridLayout(code);
  }

  /** One of the 48 layouts (6 axis orders × 8 flips), uniformly. */
  public static VoxelGridLayout random(RandomGenerator random) {
    PatientAxis[] axes = PatientAxis.values().clone();
    for (int i = axes.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      PatientAxis swap = axes[i];
      axes[i] = axes[j];
      axes[j] = swap;
    }
    StringBuilder code = new StringBuilder();
    for (PatientAxis axis : axes) {
      code.append(random.nextBoolean() ? axis.positiveLetter() : axis.negativeLetter());
    }
    return new VoxelGridLayout(code.toString());
  }

  /** The patient axis array axis {@code arrayAxis} runs along. */
  public PatientAxis patientAxis(int arrayAxis) {
    return PatientAxis.ofLetter(code.charAt(arrayAxis));
  }

  /**
   * True when the index of {@code arrayAxis} grows against the LPS direction (towards right,
   * anterior or inferior).
   */
  public boolean flipped(int arrayAxis) {
    return patientAxis(arrayAxis).negativeLetter() == code.charAt(arrayAxis);
  }

  /** The array axis that runs along {@code axis}. */
  public int arrayAxis(PatientAxis axis) {
    for (int i = 0; i < 3; i++) {
      if (patientAxis(i) == axis) {
        return i;
      }
    }
    throw new AssertionError("validated layout misses " + axis);
  }
}
