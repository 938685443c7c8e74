package io.spineflow.inference;

import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Setting;
import java.util.List;

/** The inference service's rows of the configuration table. */
public final class InferenceSettings {
  private InferenceSettings() {}

  /** Shared with the trainer: {@link ModelSettings}. */
  public static final Setting MODEL_NAME = ModelSettings.MODEL_NAME;

  public static final Setting MODEL_STORE = ModelSettings.MODEL_STORE;

  public static final Setting MAX_BATCH =
      new Setting(
          "inference.max.batch",
          "SPINEFLOW_INFERENCE_MAX_BATCH",
          "8",
          "Largest batch the dynamic batcher forms.");
  public static final Setting MAX_WAIT =
      new Setting(
          "inference.max.wait",
          "SPINEFLOW_INFERENCE_MAX_WAIT",
          "20ms",
          "Longest a slice waits for its batch to fill.");
  public static final Setting INSTANCE_ID =
      new Setting(
          "inference.instance.id",
          "SPINEFLOW_INFERENCE_INSTANCE_ID",
          "0",
          "Stable id of this instance; its transactional.id is spineflow-inference-<id>, so a"
              + " restarted instance fences its dead predecessor.");
  public static final Setting NSD_TOLERANCE =
      new Setting(
          "quality.nsd.tolerance.mm",
          "SPINEFLOW_QUALITY_NSD_TOLERANCE_MM",
          "2.0",
          "Tolerance (mm) of the normalised surface Dice.");
  public static final Setting THREADS =
      new Setting(
          "inference.threads",
          "SPINEFLOW_INFERENCE_THREADS",
          "0",
          "PyTorch intra-op threads (0: all cores).");

  public static List<Setting> all() {
    return List.of(
        MODEL_NAME, MODEL_STORE, MAX_BATCH, MAX_WAIT, INSTANCE_ID, NSD_TOLERANCE, THREADS);
  }
}
