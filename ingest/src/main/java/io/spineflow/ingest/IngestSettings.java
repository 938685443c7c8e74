package io.spineflow.ingest;

import io.spineflow.platform.Setting;
import io.spineflow.schemas.Topics;
import java.util.List;

/**
 * The ingest service's rows of the configuration table (after {@link
 * io.spineflow.platform.CommonSettings}). A path default may start with {@value #DATA_DIR_TOKEN},
 * which stands for {@code data.dir}.
 */
public final class IngestSettings {
  private IngestSettings() {}

  /** Stands for the {@code data.dir} setting at the start of a path default. */
  public static final String DATA_DIR_TOKEN = "${data.dir}";

  public static final Setting TOKEN =
      new Setting(
          "ingest.token",
          "SPINEFLOW_INGEST_TOKEN",
          "",
          "Bearer token an HTTP upload must carry (Authorization: Bearer TOKEN), at least "
              + IngestConfig.MIN_TOKEN_LENGTH
              + " characters. Required: the service refuses to start without it. Never logged.");
  public static final Setting HTTP_MAX_REQUEST_BYTES =
      new Setting(
          "ingest.http.max.request.bytes",
          "SPINEFLOW_INGEST_HTTP_MAX_REQUEST_BYTES",
          Long.toString(64L << 20),
          "Largest HTTP upload body; a larger request gets 413 before its body is read.");
  public static final Setting WATCH_DIR =
      new Setting(
          "ingest.watch.dir",
          "SPINEFLOW_INGEST_WATCH_DIR",
          DATA_DIR_TOKEN + "/inbox",
          "Watched folder for studies (NAME.mha or NAME.mhd, optional NAME.mask.mha); accepted"
              + " files move to done/, rejected ones to failed/. Empty disables the folder door.");
  public static final Setting WATCH_INTERVAL =
      new Setting(
          "ingest.watch.interval",
          "SPINEFLOW_INGEST_WATCH_INTERVAL",
          "1s",
          "How often the watched folder is scanned; a file is taken once its size and"
              + " modification time are unchanged across two scans.");
  public static final Setting PAIRING_TIMEOUT =
      new Setting(
          "ingest.pairing.timeout",
          "SPINEFLOW_INGEST_PAIRING_TIMEOUT",
          "5m",
          "How long an image announcing a mask (or a lone mask) waits for its other part before"
              + " it is dead-lettered as MASK_MISSING (IMAGE_MISSING).");
  public static final Setting STUDY_INLINE_MAX_BYTES =
      new Setting(
          "ingest.study.inline.max.bytes",
          "SPINEFLOW_INGEST_STUDY_INLINE_MAX_BYTES",
          Integer.toString(Topics.STUDY_INLINE_MAX_BYTES),
          "Voxel bytes of a volume carried inside a `studies` event; larger volumes go to the"
              + " claim-check store. At most the default (the `studies` topic's size).");
  public static final Setting UPLOAD_INLINE_MAX_BYTES =
      new Setting(
          "ingest.upload.inline.max.bytes",
          "SPINEFLOW_INGEST_UPLOAD_INLINE_MAX_BYTES",
          Integer.toString(IngestConfig.UPLOAD_INLINE_LIMIT),
          "Files the HTTP and folder doors send inside a `studies.upload` record; larger files"
              + " travel as a claim check (header spineflow.claim-uri).");
  public static final Setting GEOMETRY_TOLERANCE =
      new Setting(
          "ingest.geometry.tolerance",
          "SPINEFLOW_INGEST_GEOMETRY_TOLERANCE",
          "0.001",
          "Largest difference in spacing, origin (mm) and direction cosines for a mask to be on"
              + " its image's grid; sizes must be equal.");
  public static final Setting MAX_DECODED_BYTES =
      new Setting(
          "ingest.max.decoded.bytes",
          "SPINEFLOW_INGEST_MAX_DECODED_BYTES",
          Long.toString(256L << 20),
          "Largest decoded voxel data of one image or mask (decompression and header bombs stop"
              + " here).");
  public static final Setting CLAIMS_DIR =
      new Setting(
          "ingest.claims.dir",
          "SPINEFLOW_INGEST_CLAIMS_DIR",
          DATA_DIR_TOKEN + "/claims",
          "Claim-check directory: the file blob store shared with the consumers of `studies` (a"
              + " shared volume when services run apart); with blobstore.type=s3 only the spool of"
              + " streamed puts.");

  public static final Setting DICOM_SERIES_QUIET =
      new Setting(
          "ingest.dicom.series.quiet",
          "SPINEFLOW_INGEST_DICOM_SERIES_QUIET",
          "60s",
          "A DICOM series is complete (a stable series) once no new instance of it has arrived for"
              + " this long; it is then assembled and published as one `studies` event. An"
              + " association release or the end of a STOW-RS request does not shorten it.");
  public static final Setting DICOM_SERIES_RETENTION =
      new Setting(
          "ingest.dicom.series.retention",
          "SPINEFLOW_INGEST_DICOM_SERIES_RETENTION",
          "1d",
          "How long a DICOM series' instances are kept after its last instance, so that a late"
              + " instance makes a complete new revision; afterwards the instances are deleted and"
              + " a late instance starts the series anew. Also how long a DICOM Segmentation (a"
              + " hospital's labels) waits for the series it references before it is"
              + " dead-lettered as SEGMENTATION_SERIES_MISSING.");
  public static final Setting DICOM_GEOMETRY_TOLERANCE =
      new Setting(
          "ingest.dicom.geometry.tolerance",
          "SPINEFLOW_INGEST_DICOM_GEOMETRY_TOLERANCE",
          "0.05",
          "Largest difference in mm between slice positions and spacings of one DICOM series (and"
              + " between the pixel spacings of its slices) for them to form one volume.");

  /**
   * Every ingest setting, in README order (the DICOM door's {@link DicomScpSettings}, then {@link
   * DeidentificationSettings}, last).
   */
  public static List<Setting> all() {
    List<Setting> all = new java.util.ArrayList<>(ownSettings());
    all.addAll(DicomScpSettings.all());
    all.addAll(DeidentificationSettings.all());
    return List.copyOf(all);
  }

  private static List<Setting> ownSettings() {
    return List.of(
        TOKEN,
        HTTP_MAX_REQUEST_BYTES,
        WATCH_DIR,
        WATCH_INTERVAL,
        PAIRING_TIMEOUT,
        STUDY_INLINE_MAX_BYTES,
        UPLOAD_INLINE_MAX_BYTES,
        GEOMETRY_TOLERANCE,
        MAX_DECODED_BYTES,
        CLAIMS_DIR,
        DICOM_SERIES_QUIET,
        DICOM_SERIES_RETENTION,
        DICOM_GEOMETRY_TOLERANCE);
  }
}
