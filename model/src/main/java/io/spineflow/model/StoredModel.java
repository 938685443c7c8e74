package io.spineflow.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One immutable model version in a {@link ModelStore}: what the {@code models} topic announces.
 *
 * @param name the model's name (e.g. {@code spine-unet})
 * @param version the version, from 1
 * @param directory {@code <root>/<name>/v<version>}
 * @param sha256 lowercase hex SHA-256 of {@code weights.params}
 * @param config the architecture in {@code architecture.json}
 */
public record StoredModel(
    String name, int version, Path directory, String sha256, UNetConfig config) {

  /** Checks that nothing is missing. */
  public StoredModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(config, "config");
  }

  /** The weights file. */
  public Path weightsFile() {
    return directory.resolve(ModelStore.WEIGHTS_FILE);
  }

  /** {@code name/vN}, for logs and messages. */
  public String label() {
    return name + "/v" + version;
  }
}
