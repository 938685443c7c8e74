package io.spineflow.cli.erasure;

import io.spineflow.dashboard.DashboardService;
import io.spineflow.dashboard.DashboardStores;
import io.spineflow.ingest.IngestService;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.ingest.IngestTopology;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Settings;
import io.spineflow.preprocess.PreprocessSettings;
import io.spineflow.preprocess.PreprocessTopology;
import io.spineflow.results.ResultsConfig;
import io.spineflow.results.ResultsSettings;
import io.spineflow.results.ResultsTopology;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import io.spineflow.trainer.QualityFloor;
import io.spineflow.trainer.TrainerService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everywhere one study may have gone, computed from the topic registry, the services' state stores
 * and the settings, before anything is touched. Pure: nothing connects, nothing is read.
 *
 * @param studyUid the study to forget
 * @param claimDirs the claim-check stores (ingest's and preprocess's, usually one): only files
 *     inside them are ever deleted, whatever a record's URI says
 * @param claimSources topics whose records of the study name claim-check files ({@code
 *     studies.upload} by header, {@code studies} in the event)
 * @param trainerCacheDir the study's directory in the trainer's slice cache
 * @param qualityFloor the promotion gate's floor file, which may pin the study as a reference
 * @param tombstoned compacted topics keyed by study or slice: a tombstone per key deletes them
 * @param retained topics that hold the study but are not compacted: nothing can delete one record
 *     from them, they keep it until their retention ages it out
 * @param unrelated topics not keyed by study (by model name): they never carry a study's data
 * @param modelsTopic where model lineage (study UIDs only) is announced
 * @param auditTopic where the erasure itself is recorded
 */
public record ErasurePlan(
    String studyUid,
    Set<Path> claimDirs,
    List<String> claimSources,
    Path trainerCacheDir,
    Path qualityFloor,
    List<Place> tombstoned,
    List<Place> retained,
    List<String> unrelated,
    String modelsTopic,
    String auditTopic) {

  /** How a topic's keys name a study. */
  public enum Keying {
    /** The key is the study UID. */
    STUDY,
    /** The key is {@code studyUid/sliceIndex} ({@link io.spineflow.schemas.SliceKey}). */
    SLICE,
    /**
     * The key is the study UID, a {@code /} and more: a store keyed by study and revision, part or
     * slice (the results service's).
     */
    UNDER_STUDY,
    /** The key is a model name (or another key unrelated to studies). */
    MODEL
  }

  /**
   * A topic that may hold records of the study.
   *
   * @param topic the topic's name
   * @param keying how its keys name the study
   * @param what what it is, for the report (e.g. "ingest store seen-studies")
   */
  public record Place(String topic, Keying keying, String what) {}

  public ErasurePlan {
    Objects.requireNonNull(studyUid, "studyUid");
    if (studyUid.isBlank() || studyUid.indexOf('/') >= 0) {
      // A UID with '/' could not be told from a slice key, and no door accepts one.
      throw new IllegalArgumentException("a study UID is non-blank and has no '/'");
    }
    claimDirs = Set.copyOf(claimDirs);
    claimSources = List.copyOf(claimSources);
    tombstoned = List.copyOf(tombstoned);
    retained = List.copyOf(retained);
    unrelated = List.copyOf(unrelated);
  }

  /** Whether a record key of a topic keyed as {@code keying} belongs to this study. */
  public boolean matches(Keying keying, String key) {
    if (key == null) {
      return false;
    }
    return switch (keying) {
      case STUDY -> key.equals(studyUid);
      case SLICE -> key.startsWith(studyUid + "/") && key.indexOf('/', studyUid.length() + 1) < 0;
      case UNDER_STUDY -> key.startsWith(studyUid + "/");
      case MODEL -> false;
    };
  }

  /** The plan for {@code studyUid} with the topics of {@code topics} and these settings. */
  public static ErasurePlan of(String studyUid, Topics topics, Settings settings) {
    Path dataDir = settings.path(CommonSettings.DATA_DIR).toAbsolutePath().normalize();
    List<Place> tombstoned = new ArrayList<>();
    List<Place> retained = new ArrayList<>();
    List<String> unrelated = new ArrayList<>();
    for (Topic<String, ?> topic : topics.all()) {
      Keying keying = keyingOf(topics, topic);
      if (keying == Keying.MODEL) {
        unrelated.add(topic.name());
      } else if (topic.settings().compacted()) {
        tombstoned.add(new Place(topic.name(), keying, "compacted topic"));
      } else if (!topic.name().equals(topics.audit().name())) {
        // The audit trail is append-only by design; the report says what it keeps.
        retained.add(new Place(topic.name(), keying, "topic"));
      }
    }
    tombstoned.addAll(changelogs(topics, settings));
    return new ErasurePlan(
        studyUid,
        claimDirs(settings, dataDir),
        List.of(topics.studiesUpload().name(), topics.studies().name()),
        TrainerService.cachedStudyDir(dataDir, studyUid),
        QualityFloor.file(ModelSettings.store(settings), settings.string(ModelSettings.MODEL_NAME)),
        tombstoned,
        retained,
        unrelated,
        topics.models().name(),
        topics.audit().name());
  }

  /**
   * How each registry topic is keyed (README, "How it flows"). {@code deadletter} keeps the
   * original key: a study UID or a slice key, so both are matched. A topic this method does not
   * know is taken as keyed by study: erasure must err on the side of looking.
   */
  static Keying keyingOf(Topics topics, Topic<String, ?> topic) {
    String name = topic.name();
    if (name.equals(topics.models().name())
        || name.equals(topics.retrain().name())
        || name.equals(topics.training().name())) {
      return Keying.MODEL;
    }
    if (name.equals(topics.slices().name())
        || name.equals(topics.masks().name())
        || name.equals(topics.quality().name())) {
      return Keying.SLICE;
    }
    return Keying.STUDY;
  }

  /**
   * The changelogs of the state stores keyed by study or slice (Kafka Streams names them {@code
   * <application.id>-<store>-changelog}; key-value changelogs are compacted). Stores keyed
   * otherwise hold no study data by key: the dashboard's windows are aggregates per series, its
   * dead-letter, model and drift stores are keyed by time, reason or model, and {@code
   * gallery-pending-order} holds slice keys only as values, pointing at {@code gallery-pending}
   * (which is tombstoned), as {@code study-results-order} holds study UIDs (keyed by their hash)
   * pointing at {@code study-results}.
   */
  static List<Place> changelogs(Topics topics, Settings settings) {
    String ingest = topics.prefix() + "spineflow-" + IngestService.NAME;
    String preprocess = topics.prefix() + settings.string(PreprocessSettings.APPLICATION_ID);
    String dashboard = topics.prefix() + "spineflow-" + DashboardService.NAME;
    String results = topics.prefix() + settings.string(ResultsSettings.APPLICATION_ID);
    return List.of(
        store(ingest, IngestTopology.SEEN_STORE, Keying.STUDY, "ingest"),
        store(ingest, IngestTopology.PENDING_STORE, Keying.STUDY, "ingest"),
        store(ingest, IngestTopology.DEADLINE_STORE, Keying.STUDY, "ingest"),
        store(preprocess, PreprocessTopology.STORE, Keying.STUDY, "preprocess"),
        store(dashboard, DashboardStores.GALLERY_PENDING, Keying.SLICE, "dashboard"),
        store(dashboard, DashboardStores.GALLERY_INDEX, Keying.SLICE, "dashboard"),
        store(dashboard, DashboardStores.GALLERY_ENTRIES, Keying.SLICE, "dashboard"),
        store(dashboard, DashboardStores.STUDY_RESULTS, Keying.STUDY, "dashboard"),
        store(results, ResultsTopology.REVISIONS_STORE, Keying.UNDER_STUDY, "results"),
        store(results, ResultsTopology.PARTS_STORE, Keying.UNDER_STUDY, "results"),
        store(results, ResultsTopology.QUALITY_STORE, Keying.UNDER_STUDY, "results"));
  }

  private static Place store(String applicationId, String store, Keying keying, String service) {
    return new Place(
        applicationId + "-" + store + "-changelog", keying, service + " store " + store);
  }

  /**
   * ingest.claims.dir, preprocess.claim.check.dir and results.output.dir (where the study's label
   * volume and DICOM Segmentation are), resolved as the services do.
   */
  static Set<Path> claimDirs(Settings settings, Path dataDir) {
    Set<Path> dirs = new LinkedHashSet<>();
    String ingest = settings.string(IngestSettings.CLAIMS_DIR);
    if (ingest.startsWith(IngestSettings.DATA_DIR_TOKEN)) {
      String rest =
          ingest.substring(IngestSettings.DATA_DIR_TOKEN.length()).replaceFirst("^/+", "");
      dirs.add(rest.isEmpty() ? dataDir : dataDir.resolve(rest).normalize());
    } else if (!ingest.isEmpty()) {
      dirs.add(Path.of(ingest).toAbsolutePath().normalize());
    }
    String preprocess = settings.string(PreprocessSettings.CLAIM_CHECK_DIR);
    dirs.add(
        preprocess.isEmpty()
            ? dataDir.resolve("claims")
            : Path.of(preprocess).toAbsolutePath().normalize());
    dirs.add(ResultsConfig.outputDir(settings).normalize());
    return dirs;
  }
}
