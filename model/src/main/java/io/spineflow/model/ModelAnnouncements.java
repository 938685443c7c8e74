package io.spineflow.model;

import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelLineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code models} announcements ({@link ModelAnnouncement}) and the metadata and lineage a
 * released version is stored with: the one place that does it, for the trainer service, offline
 * training, rollbacks and tests. Publishing them is the trainer service's business.
 *
 * <p>Architectures travel through {@link ModelArchitectures}, the one mapping inference verifies
 * against. A version saved with {@link #metadata} in its {@value ModelStore#METADATA_FILE} can be
 * re-announced from the store alone ({@link #fromStore}).
 */
public final class ModelAnnouncements {

  /** Metadata key of the validation metrics. */
  public static final String METRICS = "validationMetrics";

  /** Metadata key of the lineage. */
  public static final String LINEAGE = "lineage";

  private ModelAnnouncements() {}

  /**
   * A stored model's announcement for tests and tools: no metrics, an empty lineage with the
   * version as seed, kind {@code PROMOTED}, now.
   */
  public static ModelAnnouncement promoted(StoredModel stored) {
    return announcement(
        stored,
        Map.of(),
        lineage(List.of(), List.of(), Map.of(), null, stored.version()),
        AnnouncementKind.PROMOTED,
        Instant.now());
  }

  /**
   * The announcement of a stored version, rebuilt from its files: SHA-256 and architecture computed
   * from the directory, metrics and lineage from its metadata (empty if it has none); with the
   * store's blob store, its files are published there and named in {@code artifacts}.
   */
  public static ModelAnnouncement fromStore(
      ModelStore store, String name, int version, AnnouncementKind kind, Instant at)
      throws ModelRejectedException {
    StoredModel stored = ModelStore.inspect(store.directory(name, version));
    Map<String, Object> metadata;
    try {
      metadata = store.metadata(name, version);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metadata of " + name + " v" + version, e);
    }
    ModelAnnouncement a = announcement(stored, metricsOf(metadata), lineageOf(metadata), kind, at);
    try {
      // Publishing again is a no-op for a content-addressed store; it makes sure the blobs a
      // rollback names are there.
      store.publish(stored).ifPresent(refs -> withArtifacts(a, refs));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + name + " v" + version, e);
    }
    return a;
  }

  /** The announcement of a stored model. */
  public static ModelAnnouncement announcement(
      StoredModel stored,
      Map<String, Double> metrics,
      ModelLineage lineage,
      AnnouncementKind kind,
      Instant at) {
    return ModelAnnouncement.newBuilder()
        .setModelName(stored.name())
        .setVersion(stored.version())
        .setLocation(stored.directory().toUri().toString())
        .setSha256(stored.sha256())
        .setArchitecture(ModelArchitectures.toEvent(stored.config()))
        .setValidationMetrics(new LinkedHashMap<>(metrics))
        .setLineage(lineage)
        .setKind(kind)
        .setAnnouncedAt(at)
        .build();
  }

  /**
   * The highest version of the model announced up to {@code a}: its {@code highestVersion}, or its
   * own version when it has none (an older writer) or a lower one.
   */
  public static int highestVersion(ModelAnnouncement a) {
    Integer highest = a.getHighestVersion();
    return highest == null ? a.getVersion() : Math.max(highest, a.getVersion());
  }

  /** The prefix of {@code location} when an announcement's files are in the blob store. */
  public static final String BLOB_LOCATION = "blob:";

  /**
   * Names the announced version's files by their blob references ({@code artifacts}) and replaces
   * its host-path {@code location} by a label, {@code blob:<name>/v<version>}: no host path travels
   * when the files are in the object store, and a reader from before {@code artifacts} rejects the
   * announcement (a location of another scheme) instead of looking on a disk it does not share.
   *
   * @return {@code a}, changed
   */
  public static ModelAnnouncement withArtifacts(ModelAnnouncement a, Map<String, String> refs) {
    a.setArtifacts(new LinkedHashMap<>(refs));
    a.setLocation(BLOB_LOCATION + a.getModelName() + "/v" + a.getVersion());
    return a;
  }

  /**
   * A lineage record.
   *
   * @param sliceOffsets next offset per partition of {@code slices} the training data covers
   * @param parentVersion the version fine-tuned from, or null for a fresh initialisation
   */
  public static ModelLineage lineage(
      Collection<String> trainingStudies,
      Collection<String> validationStudies,
      Map<Integer, Long> sliceOffsets,
      Integer parentVersion,
      long seed) {
    Map<String, Long> offsets = new LinkedHashMap<>();
    sliceOffsets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> offsets.put(Integer.toString(e.getKey()), e.getValue()));
    return ModelLineage.newBuilder()
        .setTrainingStudies(new ArrayList<>(trainingStudies))
        .setValidationStudies(new ArrayList<>(validationStudies))
        .setSliceOffsets(offsets)
        .setParentVersion(parentVersion)
        .setSeed(seed)
        .build();
  }

  /** What the trainer stores in {@value ModelStore#METADATA_FILE} beside promoted weights. */
  public static Map<String, Object> metadata(
      Map<String, Double> metrics, ModelLineage lineage, Map<String, Object> training) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(METRICS, new LinkedHashMap<>(metrics));
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("trainingStudies", lineage.getTrainingStudies());
    l.put("validationStudies", lineage.getValidationStudies());
    l.put("sliceOffsets", lineage.getSliceOffsets());
    l.put("parentVersion", lineage.getParentVersion());
    l.put("seed", lineage.getSeed());
    m.put(LINEAGE, l);
    m.put("training", training);
    return m;
  }

  private static Map<String, Double> metricsOf(Map<String, Object> metadata) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (metadata.get(METRICS) instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (v instanceof Number n) {
              out.put(String.valueOf(k), n.doubleValue());
            }
          });
    }
    return out;
  }

  private static ModelLineage lineageOf(Map<String, Object> metadata) {
    List<String> train = new ArrayList<>();
    List<String> validation = new ArrayList<>();
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    Integer parent = null;
    long seed = 0;
    if (metadata.get(LINEAGE) instanceof Map<?, ?> l) {
      strings(l.get("trainingStudies"), train);
      strings(l.get("validationStudies"), validation);
      if (l.get("sliceOffsets") instanceof Map<?, ?> o) {
        o.forEach(
            (k, v) -> {
              if (v instanceof Number n) {
                offsets.put(Integer.parseInt(String.valueOf(k)), n.longValue());
              }
            });
      }
      if (l.get("parentVersion") instanceof Number n) {
        parent = n.intValue();
      }
      if (l.get("seed") instanceof Number n) {
        seed = n.longValue();
      }
    }
    return lineage(train, validation, offsets, parent, seed);
  }

  private static void strings(Object value, List<String> out) {
    if (value instanceof Collection<?> c) {
      c.forEach(v -> out.add(String.valueOf(v)));
    }
  }
}
