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
 * offline by {@code ./spineflow train --data ../shared/data/realmri --phantoms 30 --epochs 8} (the
 * recipe's defaults: half the phantoms randomised, no augmentation) on 30 labelled phantoms and 41
 * partially labelled real lumbar MRI volumes (research data; its model card, in {@code
 * metadata.json} and the README, names the sources, their terms and where it fails). The demo
 * serves it while the trainer learns from the scenario's own studies, so masks and Dice appear
 * within seconds instead of after the first training run.
 */
public final class StarterModel {
  private static final String RESOURCE = "/io/spineflow/cli/starter-model/";

  private StarterModel() {}

  /** Writes the starter model's files into {@code directory} (replacing earlier copies). */
  public static Path extractTo(Path directory) {
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
