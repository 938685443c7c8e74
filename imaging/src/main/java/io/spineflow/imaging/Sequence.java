package io.spineflow.imaging;

import java.util.Arrays;
import java.util.Optional;

/**
 * The MR sequences of SPIDER, with the suffix its file names carry ({@code <id>_<suffix>.mha}):
 * sagittal T1- and T2-weighted turbo spin echo with thick slices, and the near-isotropic 3D T2
 * SPACE.
 */
public enum Sequence {
  T1("t1"),
  T2("t2"),
  T2_SPACE("t2_SPACE");

  private final String suffix;

  Sequence(String suffix) {
    this.suffix = suffix;
  }

  /** The SPIDER file-name suffix, e.g. {@code t2_SPACE}. */
  public String suffix() {
    return suffix;
  }

  /**
   * The sequence whose file suffix is {@code suffix}. SPIDER spells them exactly ({@code t1},
   * {@code t2}, {@code t2_SPACE}); a different case is accepted too, since copies of the data set
   * passed through case-insensitive file systems.
   */
  public static Optional<Sequence> fromSuffix(String suffix) {
    return Arrays.stream(values()).filter(s -> s.suffix.equalsIgnoreCase(suffix)).findFirst();
  }
}
