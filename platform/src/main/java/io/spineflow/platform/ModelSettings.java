package io.spineflow.platform;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings the service that trains and the service that serves must agree on: which model, and
 * where the versioned model store is. Declared once, here, for both.
 */
public final class ModelSettings {
  private ModelSettings() {}

  public static final Setting MODEL_NAME =
      new Setting(
          "model.name",
          "SPINEFLOW_MODEL_NAME",
          "spine-unet",
          "Which model (key on the models topic) inference serves and the trainer trains.");
  public static final Setting MODEL_STORE =
      new Setting(
          "model.store",
          "SPINEFLOW_MODEL_STORE",
          "",
          "Directory of the versioned model store (default: <data.dir>/models): shared by"
              + " trainer and inference with blobstore.type=file; with s3 only the trainer's local"
              + " copy, shared with no one: the bucket is the source of truth for models"
              + " (inference keeps its copies in <data.dir>/inference/models) and the models"
              + " announcement carries the quality floor.");

  public static List<Setting> all() {
    return List.of(MODEL_NAME, MODEL_STORE);
  }

  /** {@code model.store}, or {@code <data.dir>/models} when it is not set; absolute. */
  public static Path store(Settings settings) {
    String store = settings.string(MODEL_STORE);
    Path dir =
        store.isEmpty() ? settings.path(CommonSettings.DATA_DIR).resolve("models") : Path.of(store);
    return dir.toAbsolutePath();
  }
}
