package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.DeviceChoice;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelArchitectures;
import io.spineflow.model.ModelArtifacts;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.platform.ThreadPriority;
import io.spineflow.platform.blob.FileBlobStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model safety before a swap, with real stored models: a model is served only if its checksum and
 * architecture are the announced ones and its warm-up gives finite outputs; each refusal has its
 * reason code and field, so it can be dead-lettered while the previous model keeps serving.
 */
class DjlModelLoaderTest {
  @TempDir Path root;

  private ModelLoader.RejectedModel rejection(ModelAnnouncement announcement, boolean replacing) {
    return catchThrowableOfType(
        () -> new DjlModelLoader(root, 2, 1, 0).load(announcement, replacing).close(),
        ModelLoader.RejectedModel.class);
  }

  private ModelLoader.RejectedModel rejection(ModelAnnouncement announcement) {
    return rejection(announcement, true);
  }

  @Test
  void aSoundModelLoadsAndWarmsUp() throws Exception {
    StoredModel stored = TestModels.store(new ModelStore(root), "m", 1);
    for (boolean replacing : new boolean[] {false, true}) {
      // 0: the finite check alone (the default); 2: with the optional warm-up passes.
      for (int warmupRounds : new int[] {0, 2}) {
        try (ServedModel served =
            new DjlModelLoader(root, 2, 1, warmupRounds)
                .load(TestModels.announce(stored), replacing)) {
          assertThat(served.version()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void theLoadingThreadRunsAtTheLoaderNiceValue() throws Exception {
    assumeTrue(ThreadPriority.currentNice() != Integer.MIN_VALUE, "needs Linux /proc");
    StoredModel stored = TestModels.store(new ModelStore(root), "m", 1);
    DjlModelLoader loader = new DjlModelLoader(root, 2, 1, 0, 19, DeviceChoice.AUTO, null);
    AtomicInteger niceWhileLoaded = new AtomicInteger(Integer.MIN_VALUE);
    AtomicReference<Exception> failure = new AtomicReference<>();
    // A fresh thread, as the watcher's: a thread's nice value cannot be lowered back.
    Thread loading =
        new Thread(
            () -> {
              try (ServedModel served = loader.load(TestModels.announce(stored), true)) {
                niceWhileLoaded.set(ThreadPriority.currentNice());
              } catch (Exception e) {
                failure.set(e);
              }
            });
    loading.start();
    loading.join(60_000);

    assertThat(failure.get()).isNull();
    assertThat(niceWhileLoaded.get()).isEqualTo(19);
    assertThat(ThreadPriority.currentNice()).as("the test's thread").isNotEqualTo(19);
  }

  @Test
  void wrongChecksumIsRefused() throws Exception {
    StoredModel stored = TestModels.store(new ModelStore(root), "m", 1);
    ModelAnnouncement announcement = TestModels.announce(stored);
    announcement.setSha256("0".repeat(64));
    assertThat(rejection(announcement).reasonCode()).isEqualTo("CHECKSUM_MISMATCH");
  }

  @Test
  void anArchitectureOtherThanAnnouncedIsRefused() throws Exception {
    StoredModel stored = TestModels.store(new ModelStore(root), "m", 1);
    ModelAnnouncement announcement = TestModels.announce(stored);
    // Announced with another output size than the stored network has.
    announcement.setArchitecture(ModelArchitectures.toEvent(TestModels.TINY.withInputSize(64, 64)));
    ModelLoader.RejectedModel refused = rejection(announcement);
    assertThat(refused.reasonCode()).isEqualTo("ARCHITECTURE_MISMATCH");
    assertThat(refused.field()).isNotBlank();
  }

  @Test
  void aModelProducingNanAtWarmUpIsRefused() throws Exception {
    StoredModel stored;
    try (SegmentationModel model =
        SegmentationModel.untrained(TestModels.TINY, Devices.best(), 1)) {
      var parameters = model.djlModel().getBlock().getParameters();
      NDArray headBias = parameters.valueAt(parameters.size() - 1).getArray();
      headBias.set(new float[] {0f, Float.NaN, 0f, 0f});
      stored =
          new ModelStore(root).save("m", 1, model.djlModel().getBlock(), TestModels.TINY, Map.of());
    }
    // Caught by the short warm-up of a first model as by the full one of a replacement.
    for (boolean replacing : new boolean[] {false, true}) {
      ModelLoader.RejectedModel refused = rejection(TestModels.announce(stored), replacing);
      assertThat(refused.reasonCode()).isEqualTo("NAN_OUTPUT");
      assertThat(refused.field()).isEqualTo("weights");
    }
  }

  @Test
  void announcedBlobsAreFetchedIntoTheCacheAndABlobAnnouncementWithoutAnObjectStoreIsRefused()
      throws Exception {
    StoredModel stored = TestModels.store(new ModelStore(root.resolve("trainer")), "m", 1);
    try (FileBlobStore blobs = new FileBlobStore(root.resolve("bucket"), 1L << 30)) {
      ModelAnnouncement announcement =
          ModelAnnouncements.withArtifacts(
              TestModels.announce(stored), ModelArtifacts.publish(blobs, stored));
      ModelStore cache = new ModelStore(root.resolve("cache"), blobs);
      try (ServedModel served =
          new DjlModelLoader(root.resolve("shared"), 2, 1, 0, 0, DeviceChoice.AUTO, cache)
              .load(announcement, false)) {
        assertThat(served.version()).isEqualTo(1);
      }
      assertThat(cache.versions("m")).containsExactly(1);

      ModelLoader.RejectedModel refused = rejection(announcement);
      assertThat(refused.reasonCode()).isEqualTo("MODEL_LOCATION_INVALID");
      assertThat(refused.field()).isEqualTo("artifacts");
      assertThat(refused.getMessage()).contains("blobstore.type");
    }
  }
}
