package io.spineflow.inference;

import ai.djl.Device;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.DeviceChoice;
import io.spineflow.model.Devices;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelRejectedException;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.ThreadPriority;
import io.spineflow.platform.blob.BlobStore;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads announced models with DJL (PyTorch, on {@code inference.device}), from the blob store when
 * the announcement names its files there ({@code artifacts}: fetched, verified, into a local cache
 * under {@code data.dir}) or else from the shared model store: the location must lie inside the
 * store, the weights must match the announced SHA-256 and the stored architecture the announced
 * one, and a warm-up batch must give finite outputs. Anything else is a {@link RejectedModel}, and
 * the previous model keeps serving.
 */
final class DjlModelLoader implements ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DjlModelLoader.class);
  private final Path storeRoot;
  private final ModelStore cache;
  private final int warmUpBatch;
  private final int swapWarmupRounds;
  private final int loaderNice;
  // Per thread, not once: a restarted watcher loads on a new thread.
  private final ThreadLocal<Boolean> lowered = ThreadLocal.withInitial(() -> false);
  private final Device device;

  /** The same on {@code auto}'s device, the loading thread's priority left alone (tests). */
  DjlModelLoader(Path storeRoot, int warmUpBatch, int threads, int swapWarmupRounds) {
    this(storeRoot, warmUpBatch, threads, swapWarmupRounds, 0, DeviceChoice.AUTO, null);
  }

  /**
   * @param warmUpBatch the serving batch size, the shape a replacing model's warm-up runs
   * @param threads PyTorch intra-op threads (0: all cores)
   * @param swapWarmupRounds warm-up passes of a replacing model beyond its finite-output check
   * @param loaderNice nice value of the loading thread ({@link ThreadPriority}); 0 leaves it
   * @param device {@code inference.device}, resolved here once the engine has started
   * @param cache a local store over the blob store announcements' {@code artifacts} are fetched
   *     from ({@link ModelStore#fetch}); null when models are read from the shared {@code
   *     storeRoot} only ({@code blobstore.type=file})
   * @throws io.spineflow.platform.ConfigException when it names a GPU the engine cannot use
   */
  DjlModelLoader(
      Path storeRoot,
      int warmUpBatch,
      int threads,
      int swapWarmupRounds,
      int loaderNice,
      DeviceChoice device,
      ModelStore cache) {
    this.storeRoot = storeRoot.toAbsolutePath().normalize();
    this.cache = cache;
    this.warmUpBatch = warmUpBatch;
    this.swapWarmupRounds = swapWarmupRounds;
    this.loaderNice = loaderNice;
    if (threads > 0) {
      DjlEngine.ensureStarted(threads);
    } else {
      DjlEngine.ensureStarted();
    }
    this.device = InferenceDevice.resolve(device, Devices.gpuCount(), Devices::driverGpuCount);
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.blobs().ifPresent(BlobStore::close);
    }
  }

  @Override
  public String device() {
    return device.toString();
  }

  @Override
  public ServedModel load(ModelAnnouncement announcement, boolean replacing) throws RejectedModel {
    UNetConfig expected;
    try {
      expected = ModelArchitectures.fromEvent(announcement.getArchitecture());
    } catch (IllegalArgumentException e) {
      throw new RejectedModel("ARCHITECTURE_MISMATCH", "architecture", e.getMessage(), e);
    }
    Path directory =
        announcement.getArtifacts() == null
            ? directoryOf(announcement.getLocation())
            : fetched(announcement);
    lowerPriorityOnce();
    SegmentationModel model;
    try {
      model = ModelStore.load(directory, announcement.getSha256(), expected, device);
    } catch (ModelRejectedException e) {
      throw new RejectedModel(e.reason().name(), fieldOf(e.reason()), e.getMessage(), e);
    }
    try {
      // One slice proves the outputs are finite. Nothing more by default: PyTorch pays a shape's
      // first-call cost once per process, not per model (a second model's first batch of 8 was no
      // slower than its later ones), so a longer warm-up while another model serves only takes
      // cores from serving. Without a serving model nothing is protected by warming either.
      model.warmUp(1);
      for (int round = 0; replacing && round < swapWarmupRounds; round++) {
        model.warmUp(warmUpBatch);
        model.warmUp(1);
      }
    } catch (ModelRejectedException e) {
      model.close();
      throw new RejectedModel(e.reason().name(), "weights", e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw new RejectedModel("WARM_UP_FAILED", "weights", e.toString(), e);
    }
    return new DjlServedModel(
        announcement.getModelName(),
        announcement.getVersion(),
        announcement.getArchitecture(),
        model);
  }

  /**
   * Lowers this loading thread's priority before its first PyTorch call, so that the intra-op
   * workers PyTorch starts for it inherit the priority too.
   */
  private void lowerPriorityOnce() {
    if (loaderNice == 0 || lowered.get()) {
      return;
    }
    lowered.set(true);
    ThreadPriority.Outcome outcome = ThreadPriority.lowerCurrentThread(loaderNice);
    if (outcome.applied()) {
      LOG.info("model loading runs at nice {} (inference.swap.loader.nice)", outcome.nice());
    } else {
      LOG.warn(
          "model loading runs at the serving priority: inference.swap.loader.nice={} not applied"
              + " ({})",
          loaderNice,
          outcome.detail());
    }
  }

  /** The announced version's files, fetched from the blob store into the local cache. */
  private Path fetched(ModelAnnouncement announcement) throws RejectedModel {
    if (cache == null) {
      throw new RejectedModel(
          "MODEL_LOCATION_INVALID",
          "artifacts",
          "the announcement names blobs but this instance has no object store"
              + " (blobstore.type=file): configure the trainer's blobstore.* here too",
          null);
    }
    try {
      return cache.fetch(
          announcement.getModelName(), announcement.getVersion(), announcement.getArtifacts());
    } catch (ModelRejectedException e) {
      throw new RejectedModel(e.reason().name(), "artifacts", e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      // A model name or version ModelStore refuses as a directory name.
      throw new RejectedModel("MODEL_LOCATION_INVALID", "modelName", e.getMessage(), e);
    }
  }

  private Path directoryOf(String location) throws RejectedModel {
    Path directory;
    try {
      URI uri = URI.create(location);
      if (uri.getScheme() != null && !"file".equalsIgnoreCase(uri.getScheme())) {
        // Path.of would look for a file system provider: FileSystemNotFoundException, or a jar:
        // archive opened.
        throw new IllegalArgumentException("scheme " + uri.getScheme());
      }
      directory =
          (uri.getScheme() == null ? Path.of(location) : Path.of(uri)).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new RejectedModel(
          "MODEL_LOCATION_INVALID", "location", "not a file location: " + location, e);
    }
    if (!directory.startsWith(storeRoot)) {
      throw new RejectedModel(
          "MODEL_LOCATION_INVALID",
          "location",
          directory + " is outside the model store " + storeRoot,
          null);
    }
    return directory;
  }

  private static String fieldOf(ModelRejectedException.Reason reason) {
    return switch (reason) {
      case CHECKSUM_MISMATCH -> "sha256";
      case ARCHITECTURE_MISMATCH -> "architecture";
      default -> "location";
    };
  }
}
