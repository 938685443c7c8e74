package io.spineflow.cli.studies;

import io.spineflow.imaging.labels.LabelCoverage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled study on disk: its image, its mask and what the mask labels.
 *
 * @param name the study's name (the image file name without {@code .mha})
 * @param image the image file
 * @param mask the label mask, on the image's grid
 * @param coverage what the mask labels ({@link LabelCoverage#COMPLETE} without a declaration)
 * @param set the manifest's {@code set} column, or {@value LabelledStudyFiles#ALL_SETS}
 * @param sequence the manifest's {@code sequence} column, else the one the name ends in ({@code
 *     _t1}, {@code _t2}, {@code _t2_SPACE}), else {@code UNKNOWN}
 */
public record LabelledStudyFile(
    String name, Path image, Path mask, LabelCoverage coverage, String set, String sequence) {
  /** Checks that nothing is null. */
  public LabelledStudyFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(coverage, "coverage");
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(sequence, "sequence");
  }

  /** True when the mask labels every class over the whole image. */
  public boolean complete() {
    return coverage.complete();
  }
}
