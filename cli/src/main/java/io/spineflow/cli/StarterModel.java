package io.spineflow.cli;

import io.spineflow.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The starter model shipped inside the launcher: the cpu profile (128x128, base width 16) trained
 * offline on 30 labelled phantom studies by {@code ./spineflow train --phantoms 30 --target-dice
 * 0.92}. The demo serves it while the trainer learns from the scenario's own studies, so masks and
 * Dice appear within seconds instead of after the first training run.
 */
final class StarterModel {
  private static final String RESOURCE = "/io/spineflow/cli/starter-model/";

  private StarterModel() {}

  /** Writes the starter model's files into {@code directory} (replacing earlier copies). */
  static Path extractTo(Path directory) {
    try {
      Files.createDirectories(directory);
      for (String file :
          List.of(
              ModelStore.WEIGHTS_FILE, ModelStore.ARCHITECTURE_FILE, ModelStore.METADATA_FILE)) {
        try (InputStream in = StarterModel.class.getResourceAsStream(RESOURCE + file)) {
          if (in == null) {
            throw new IllegalStateException("the launcher lacks the starter model's " + file);
          }
          Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the starter model to " + directory, e);
    }
  }
}
