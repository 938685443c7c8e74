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
          "",
          "Stable id of this instance; its transactional.id and static group.instance.id are"
              + " spineflow-inference-<id>, so a restarted instance fences its dead predecessor at"
              + " once. Unset: a StatefulSet-style HOSTNAME ending in -<ordinal> (e.g."
              + " inference-2), else an id made once in <data.dir>/inference/instance.id and"
              + " locked while the instance runs (two live instances on one data.dir: the second"
              + " fails at start). Set it only to pin an id; two live instances never share one.");
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
  public static final Setting SWAP_WARMUP_ROUNDS =
      new Setting(
          "inference.swap.warmup.rounds",
          "SPINEFLOW_INFERENCE_SWAP_WARMUP_ROUNDS",
          "0",
          "Warm-up passes (a full batch and a lone slice each) a new model runs before it replaces"
              + " the serving one, after its one-slice check of finite outputs. 0: PyTorch pays a"
              + " shape's first-call cost once per process, not per model, so on CPU a warm-up only"
              + " takes cores from serving (bench swap); raise it where a new model's first batch"
              + " is slow.");

  public static final Setting SWAP_LOADER_NICE =
      new Setting(
          "inference.swap.loader.nice",
          "SPINEFLOW_INFERENCE_SWAP_LOADER_NICE",
          "0",
          "Linux nice value (0..19) of the thread that loads and warms new models, and of the"
              + " PyTorch workers it starts, so that loading yields the cores to serving when the"
              + " CPU is shared. 0 (the serving threads' priority) until bench swap --loader-nice"
              + " shows a gain: a low-priority loader holding a lock serving needs would stall it"
              + " longer.");

  public static final Setting DEVICE =
      new Setting(
          "inference.device",
          "SPINEFLOW_INFERENCE_DEVICE",
          "auto",
          "Where models run: auto (the first GPU the engine can use, else the CPU), cpu, gpu (the"
              + " first GPU) or gpuN. gpu and gpuN are required: without that GPU (no CUDA driver,"
              + " or the cpu natives of pytorch.flavor) the service stops at start. /health shows"
              + " the device.");

  public static List<Setting> all() {
    return List.of(
        MODEL_NAME,
        MODEL_STORE,
        MAX_BATCH,
        MAX_WAIT,
        INSTANCE_ID,
        NSD_TOLERANCE,
        THREADS,
        DEVICE,
        SWAP_WARMUP_ROUNDS,
        SWAP_LOADER_NICE);
  }
}
