package io.spineflow.ingest;

import io.spineflow.platform.Setting;
import java.util.List;

/**
 * The de-identification rows of the configuration table ({@link IngestSettings#all()} lists them
 * after the DICOM door's).
 */
public final class DeidentificationSettings {
  private DeidentificationSettings() {}

  public static final Setting ENABLED =
      new Setting(
          "ingest.dicom.deidentify",
          "SPINEFLOW_INGEST_DICOM_DEIDENTIFY",
          "false",
          "De-identify every DICOM instance at ingest, whatever its door, before anything is stored"
              + " or published (PS3.15 Basic Application Level Confidentiality Profile; see the"
              + " ingest README): names, IDs, dates, institution and private attributes removed,"
              + " UIDs and Patient ID replaced by keyed pseudonyms.");
  public static final Setting SECRET =
      new Setting(
          "ingest.dicom.deidentify.secret",
          "SPINEFLOW_INGEST_DICOM_DEIDENTIFY_SECRET",
          "",
          "The key of the pseudonyms (HMAC-SHA256), at least "
              + DeidentificationConfig.MIN_SECRET_BYTES
              + " bytes: the value itself, or file:PATH to read it from a file. Required when"
              + " ingest.dicom.deidentify is true. Keep it secret and keep it: the same key gives"
              + " the same pseudonyms across restarts, another key other ones. Never logged.");
  public static final Setting PSEUDONYM_MAP =
      new Setting(
          "ingest.dicom.pseudonym.map",
          "SPINEFLOW_INGEST_DICOM_PSEUDONYM_MAP",
          "",
          "A file (or a directory, which gets pseudonyms.tsv) where each new original-to-pseudonym"
              + " pair (Patient ID, UIDs) is appended, owner-readable only; never sent to Kafka."
              + " Empty keeps no mapping: only the key holder can then link a pseudonym to an"
              + " original, by recomputing it.");

  public static List<Setting> all() {
    return List.of(ENABLED, SECRET, PSEUDONYM_MAP);
  }
}
