package io.spineflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.spineflow.objectstore.InProcessS3;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.platform.blob.FileBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publishing a version into a blob store on one "host" (one directory) and fetching it on another
 * that shares only the store: against {@link FileBlobStore} and against the S3 backend on an
 * in-process S3Proxy server (real HTTP, AWS signatures checked).
 */
class ModelArtifactsTest {
  private static final UNetConfig SMALL =
      UNetConfig.profile("cpu").withWidths(4, 2, 8).withInputSize(32, 32);
  private static final long MAX = 1L << 30;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path serverDir;
  private static InProcessS3 server;

  @TempDir Path trainerHost;
  @TempDir Path inferenceHost;
  @TempDir Path shared;

  @BeforeAll
  static void start() throws Exception {
    DjlEngine.ensureStarted(TestEngine.THREADS);
    server = InProcessS3.start(serverDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private BlobStore store(String backend) {
    if ("file".equals(backend)) {
      return new FileBlobStore(shared, MAX);
    }
    String bucket = server.createBucket("models-" + BUCKETS.incrementAndGet());
    return BlobStores.s3(
        new BlobStores.S3Options(
            server.endpoint(),
            "us-east-1",
            bucket,
            "models/",
            true,
            InProcessS3.ACCESS_KEY,
            InProcessS3.SECRET_KEY),
        MAX,
        trainerHost.resolve(".spool"));
  }

  private StoredModel save(int version) throws Exception {
    try (SegmentationModel model = SegmentationModel.untrained(SMALL, Device.cpu(), version)) {
      return new ModelStore(trainerHost.resolve("models"))
          .save("spine", version, model.djlModel(), SMALL, Map.of("valDice", 0.5));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "s3"})
  void aVersionPublishedOnOneHostLoadsOnAnotherThatSharesOnlyTheStore(String backend)
      throws Exception {
    try (BlobStore blobs = store(backend)) {
      StoredModel stored = save(1);
      Map<String, String> refs = ModelArtifacts.publish(blobs, stored);

      assertThat(refs).containsOnlyKeys(ModelArtifacts.FILES);
      assertThat(refs.get(ModelStore.WEIGHTS_FILE)).isEqualTo("sha256:" + stored.sha256());
      assertThat(refs.values()).allMatch(BlobRef::isRef).noneMatch(v -> v.contains("/"));

      ModelStore cache = new ModelStore(inferenceHost.resolve("models"));
      Path dir = ModelArtifacts.fetch(blobs, refs, cache, "spine", 1);

      assertThat(dir).isEqualTo(cache.directory("spine", 1));
      for (String file : ModelArtifacts.FILES) {
        assertThat(Files.readAllBytes(dir.resolve(file)))
            .isEqualTo(Files.readAllBytes(stored.directory().resolve(file)));
      }
      try (SegmentationModel loaded = ModelStore.load(dir, stored.sha256(), SMALL, Device.cpu())) {
        assertThat(loaded.source().orElseThrow().sha256()).isEqualTo(stored.sha256());
      }
      // A second fetch of the cached version does not need the store.
      blobs.delete(BlobRef.parse(refs.get(ModelStore.WEIGHTS_FILE)));
      assertThat(ModelArtifacts.fetch(blobs, refs, cache, "spine", 1)).isEqualTo(dir);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "s3"})
  void aMissingBlobIsOneClearRejectionAndLeavesNothingInTheCache(String backend) throws Exception {
    try (BlobStore blobs = store(backend)) {
      Map<String, String> refs = ModelArtifacts.publish(blobs, save(2));
      blobs.delete(BlobRef.parse(refs.get(ModelStore.WEIGHTS_FILE)));
      ModelStore cache = new ModelStore(inferenceHost.resolve("models"));

      assertThatThrownBy(() -> ModelArtifacts.fetch(blobs, refs, cache, "spine", 2))
          .isInstanceOf(ModelRejectedException.class)
          .hasMessageContaining("spine/v2")
          .hasMessageContaining(ModelStore.WEIGHTS_FILE)
          .hasMessageContaining("is not in")
          .satisfies(
              e ->
                  assertThat(((ModelRejectedException) e).reason())
                      .isEqualTo(ModelRejectedException.Reason.MISSING_FILE));
      assertThat(cache.versions("spine")).isEmpty();
      try (var left = Files.list(cache.root().resolve("spine"))) {
        assertThat(left).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file"})
  void aStaleCachedCopyOfTheSameVersionNumberIsReplacedByTheAnnouncedBlobs(String backend)
      throws Exception {
    try (BlobStore blobs = store(backend)) {
      Map<String, String> refs = ModelArtifacts.publish(blobs, save(5));
      ModelStore cache = new ModelStore(inferenceHost.resolve("models"));
      Path dir = ModelArtifacts.fetch(blobs, refs, cache, "spine", 5);
      Files.writeString(
          dir.resolve(ModelStore.WEIGHTS_FILE), "other bytes", StandardCharsets.UTF_8);

      assertThat(ModelArtifacts.fetch(blobs, refs, cache, "spine", 5)).isEqualTo(dir);
      assertThat("sha256:" + ModelStore.inspect(dir).sha256())
          .isEqualTo(refs.get(ModelStore.WEIGHTS_FILE));
      try (var left = Files.list(cache.root().resolve("spine"))) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("v5");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3"})
  void aRollbackAnnouncementFromAStoreWithBlobsNamesTheBlobsAndNoHostPath(String backend)
      throws Exception {
    try (BlobStore blobs = store(backend)) {
      StoredModel stored = save(6);
      ModelStore store = new ModelStore(trainerHost.resolve("models"), blobs);
      var a =
          ModelAnnouncements.fromStore(
              store,
              "spine",
              6,
              io.spineflow.events.AnnouncementKind.ROLLBACK,
              java.time.Instant.now());

      assertThat(a.getArtifacts())
          .containsOnlyKeys(ModelArtifacts.FILES)
          .containsEntry(ModelStore.WEIGHTS_FILE, "sha256:" + stored.sha256());
      assertThat(a.getLocation()).isEqualTo("blob:spine/v6");
      for (String ref : a.getArtifacts().values()) {
        assertThat(blobs.contains(BlobRef.parse(ref))).as(ref).isTrue();
      }
      // Without a blob store, the announcement is as it always was.
      var plain =
          ModelAnnouncements.fromStore(
              new ModelStore(trainerHost.resolve("models")),
              "spine",
              6,
              io.spineflow.events.AnnouncementKind.ROLLBACK,
              java.time.Instant.now());
      assertThat(plain.getArtifacts()).isNull();
      assertThat(plain.getLocation()).startsWith("file:");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file"})
  void aCorruptBlobIsRejectedAsAChecksumMismatch(String backend) throws Exception {
    try (BlobStore blobs = store(backend)) {
      Map<String, String> refs = ModelArtifacts.publish(blobs, save(3));
      BlobRef weights = BlobRef.parse(refs.get(ModelStore.WEIGHTS_FILE));
      Files.writeString(((FileBlobStore) blobs).pathOf(weights), "bit rot", StandardCharsets.UTF_8);
      ModelStore cache = new ModelStore(inferenceHost.resolve("models"));

      assertThatThrownBy(() -> ModelArtifacts.fetch(blobs, refs, cache, "spine", 3))
          .isInstanceOf(ModelRejectedException.class)
          .hasMessageContaining("does not hash to " + weights)
          .satisfies(
              e ->
                  assertThat(((ModelRejectedException) e).reason())
                      .isEqualTo(ModelRejectedException.Reason.CHECKSUM_MISMATCH));
      assertThat(cache.versions("spine")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"file"})
  void anAnnouncementWithoutAFileOrWithAHostPathIsRejected(String backend) throws Exception {
    try (BlobStore blobs = store(backend)) {
      Map<String, String> refs = new LinkedHashMap<>(ModelArtifacts.publish(blobs, save(4)));
      ModelStore cache = new ModelStore(inferenceHost.resolve("models"));
      Map<String, String> lacking = new LinkedHashMap<>(refs);
      lacking.remove(ModelStore.METADATA_FILE);
      assertThatThrownBy(() -> ModelArtifacts.fetch(blobs, lacking, cache, "spine", 4))
          .hasMessageContaining("no reference for " + ModelStore.METADATA_FILE);

      refs.put(ModelStore.ARCHITECTURE_FILE, "/etc/passwd");
      assertThatThrownBy(() -> ModelArtifacts.fetch(blobs, refs, cache, "spine", 4))
          .hasMessageContaining("artifacts[" + ModelStore.ARCHITECTURE_FILE + "]");
      assertThat(cache.versions("spine")).isEmpty();
    }
  }
}
