package io.spineflow.cli.training;

import io.spineflow.cli.studies.LabelledStudyFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Labelled studies from one {@code --data} folder, as the model card names them.
 *
 * @param dir the folder
 * @param studies the studies of it to train on (all of them, or a fold's share)
 */
public record TrainingSource(Path dir, List<LabelledStudyFile> studies) {
  /** Copies the list. */
  public TrainingSource {
    Objects.requireNonNull(dir, "dir");
    studies = List.copyOf(studies);
  }
}
