package io.spineflow.results;

import io.spineflow.platform.Setting;
import java.util.List;

/** The results service's rows of the configuration table (after the common settings). */
public final class ResultsSettings {
  private ResultsSettings() {}

  public static final Setting APPLICATION_ID =
      new Setting(
          "results.application.id",
          "SPINEFLOW_RESULTS_APPLICATION_ID",
          "spineflow-results",
          "Kafka Streams application id: consumer group, transactional id prefix and internal"
              + " topic prefix. Instances with the same id share the studies.");
  public static final Setting STUDY_RETENTION =
      new Setting(
          "results.study.retention",
          "SPINEFLOW_RESULTS_STUDY_RETENTION",
          "PT24H",
          "How long a study revision may wait for its header, summary, masks and quality records"
              + " (from the first of them seen); past it the revision is one STUDY_INCOMPLETE dead"
              + " letter and its state is dropped. Also how long a finished revision is remembered"
              + " so that late records of it are ignored.");
  public static final Setting OUTPUT_DIR =
      new Setting(
          "results.output.dir",
          "SPINEFLOW_RESULTS_OUTPUT_DIR",
          "",
          "Blob-store directory for the label volumes and DICOM Segmentations when"
              + " blobstore.type=file (the S3 bucket otherwise); empty means <data.dir>/claims, the"
              + " store ingest and preprocess share, so one directory holds every blob.");
  public static final Setting STREAM_THREADS =
      new Setting(
          "results.stream.threads",
          "SPINEFLOW_RESULTS_STREAM_THREADS",
          "1",
          "Kafka Streams threads (at most one per partition of the by-study repartition topic is"
              + " busy).");

  public static List<Setting> all() {
    return List.of(APPLICATION_ID, STUDY_RETENTION, OUTPUT_DIR, STREAM_THREADS);
  }
}
