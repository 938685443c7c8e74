package io.spineflow.ingest;

/**
 * The Kafka headers of a {@code studies.upload} record: the wire contract any client (a PACS bridge
 * in any language) follows. Values are UTF-8 text. See {@code ingest/README.md}.
 */
public final class UploadHeaders {
  private UploadHeaders() {}

  /** {@code T1}, {@code T2} or {@code T2_SPACE}; optional (default {@code UNKNOWN}). */
  public static final String SEQUENCE = "spineflow.sequence";

  /** {@code image} (default) or {@code mask}. */
  public static final String PART = "spineflow.part";

  /** On the image part: {@code true} when a mask follows with the same key; default false. */
  public static final String EXPECT_MASK = "spineflow.expect-mask";

  /**
   * On the image part of a study with a mask: the classes its mask labels, {@code all} (default) or
   * a comma list of {@code vertebrae}, {@code vertebral-bodies}, {@code canal}, {@code discs}.
   */
  public static final String LABEL_CLASSES = "spineflow.label-classes";

  /**
   * On the image part of a study with a mask: where the declared classes are complete, {@code
   * whole-image}, {@code labelled-span} or {@code labelled-span+10mm}; default {@code whole-image}
   * for {@code all}, {@code labelled-span} for a subset.
   */
  public static final String LABEL_EXTENT = "spineflow.label-extent";

  /** Optional original file name (a file name, never a patient name). */
  public static final String SOURCE_NAME = "spineflow.source-name";

  /** Set by ingest's own doors: {@code HTTP} or {@code FOLDER}; default {@code TOPIC}. */
  public static final String SOURCE = "spineflow.source";

  /**
   * Set by ingest's own doors for files above the upload limit (the value is then empty): the
   * {@code sha256:<hex>} reference of the file in the blob store (a {@code file:} URI in ingest's
   * claim-check directory from before the blob store is still read).
   */
  public static final String CLAIM_URI = "spineflow.claim-uri";

  /** Hex SHA-256 of the claim-checked bytes. */
  public static final String CLAIM_SHA256 = "spineflow.claim-sha256";

  /** Size in bytes of the claim-checked bytes. */
  public static final String CLAIM_SIZE = "spineflow.claim-size";

  /**
   * What the value is: {@code metaimage} (default: a {@code .mha} study, key its UID) or {@code
   * dicom} (one DICOM Part 10 instance, key its Series Instance UID; series are assembled after
   * {@code ingest.dicom.series.quiet}).
   */
  public static final String FORMAT = "spineflow.format";

  /** The {@link #FORMAT} of a DICOM instance. */
  public static final String FORMAT_DICOM = "dicom";

  /** The {@link #FORMAT} of a MetaImage study (the default). */
  public static final String FORMAT_METAIMAGE = "metaimage";

  /** Longest accepted {@link #SOURCE_NAME}. */
  public static final int MAX_SOURCE_NAME = 255;
}
