package io.spineflow.ingest;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.Sequence;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.labels.LabelCoverage;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What the {@link UploadHeaders} of one {@code studies.upload} record say.
 *
 * @param sequence {@link Sequence#UNKNOWN} when the sender did not say
 * @param part image or mask
 * @param expectMask on an image: a mask with the same key follows
 * @param sourceName the original file name, or null
 * @param source the door it came through ({@link StudySource#TOPIC} for outside clients)
 * @param claim where the bytes are when the value is empty, or null when they are the value
 * @param labelCoverage what the study's mask labels, as declared; null when not declared (a
 *     complete label, or no mask)
 */
public record UploadMetadata(
    Sequence sequence,
    UploadPart part,
    boolean expectMask,
    String sourceName,
    StudySource source,
    ClaimCheck claim,
    LabelCoverage labelCoverage) {

  private static final int MAX_CLAIM_URI = 4096;

  public UploadMetadata {
    Objects.requireNonNull(sequence, "sequence");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(source, "source");
  }

  /** Metadata without a label declaration. */
  public UploadMetadata(
      Sequence sequence,
      UploadPart part,
      boolean expectMask,
      String sourceName,
      StudySource source,
      ClaimCheck claim) {
    this(sequence, part, expectMask, sourceName, source, claim, null);
  }

  /** An image part with no mask, sent by an outside client. */
  public static UploadMetadata image(Sequence sequence) {
    return new UploadMetadata(sequence, UploadPart.IMAGE, false, null, StudySource.TOPIC, null);
  }

  public UploadMetadata withPart(UploadPart newPart, boolean newExpectMask) {
    return new UploadMetadata(
        sequence, newPart, newExpectMask, sourceName, source, claim, labelCoverage);
  }

  public UploadMetadata withSourceName(String name) {
    return new UploadMetadata(sequence, part, expectMask, name, source, claim, labelCoverage);
  }

  public UploadMetadata withClaim(ClaimCheck check) {
    return new UploadMetadata(sequence, part, expectMask, sourceName, source, check, labelCoverage);
  }

  /** The same metadata declaring {@code coverage} (null: none declared). */
  public UploadMetadata withLabelCoverage(LabelCoverage coverage) {
    return new UploadMetadata(sequence, part, expectMask, sourceName, source, claim, coverage);
  }

  /**
   * Reads the headers of an upload record (the last value of a repeated header wins).
   *
   * @throws IngestRejection {@code UNKNOWN_SEQUENCE}, {@code INVALID_HEADER} or {@code
   *     INVALID_LABEL_DECLARATION}, naming the header
   */
  public static UploadMetadata parse(Headers headers) throws IngestRejection {
    String sequenceText = text(headers, UploadHeaders.SEQUENCE);
    Sequence sequence = Sequence.UNKNOWN;
    if (sequenceText != null && !sequenceText.isBlank()) {
      sequence =
          SequenceNames.parse(sequenceText)
              .orElseThrow(
                  () ->
                      new IngestRejection(
                          IngestReason.UNKNOWN_SEQUENCE,
                          UploadHeaders.SEQUENCE,
                          "T1, T2, T2_SPACE or UNKNOWN",
                          UploadHeaders.SEQUENCE + " is not a known MR sequence"));
    }
    String partText = text(headers, UploadHeaders.PART);
    UploadPart part = UploadPart.IMAGE;
    if (partText != null && !partText.isBlank()) {
      part =
          UploadPart.fromWire(partText.trim())
              .orElseThrow(() -> invalid(UploadHeaders.PART, "image or mask"));
    }
    boolean expectMask = bool(headers, UploadHeaders.EXPECT_MASK);
    String sourceName = text(headers, UploadHeaders.SOURCE_NAME);
    if (sourceName != null && sourceName.length() > UploadHeaders.MAX_SOURCE_NAME) {
      throw invalid(
          UploadHeaders.SOURCE_NAME, "at most " + UploadHeaders.MAX_SOURCE_NAME + " characters");
    }
    String sourceText = text(headers, UploadHeaders.SOURCE);
    StudySource source = StudySource.TOPIC;
    if (sourceText != null && !sourceText.isBlank()) {
      try {
        source = StudySource.valueOf(sourceText.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw invalid(UploadHeaders.SOURCE, "TOPIC, HTTP, FOLDER or DICOM");
      }
    }
    LabelCoverage coverage =
        LabelDeclarations.parse(
            text(headers, UploadHeaders.LABEL_CLASSES),
            text(headers, UploadHeaders.LABEL_EXTENT),
            UploadHeaders.LABEL_CLASSES,
            UploadHeaders.LABEL_EXTENT);
    return new UploadMetadata(
        sequence, part, expectMask, sourceName, source, claim(headers, part, expectMask), coverage);
  }

  private static ClaimCheck claim(Headers headers, UploadPart part, boolean expectMask)
      throws IngestRejection {
    String uri = text(headers, UploadHeaders.CLAIM_URI);
    if (uri == null || uri.isBlank()) {
      return null;
    }
    if (uri.length() > MAX_CLAIM_URI) {
      throw invalid(UploadHeaders.CLAIM_URI, "at most " + MAX_CLAIM_URI + " characters");
    }
    String sha = text(headers, UploadHeaders.CLAIM_SHA256);
    if (sha == null || !sha.matches("[0-9a-f]{64}")) {
      throw invalid(UploadHeaders.CLAIM_SHA256, "64 lower-case hex digits");
    }
    String size = text(headers, UploadHeaders.CLAIM_SIZE);
    long sizeBytes;
    try {
      sizeBytes = Long.parseLong(size == null ? "" : size.trim());
    } catch (NumberFormatException e) {
      throw invalid(UploadHeaders.CLAIM_SIZE, "a byte count");
    }
    if (sizeBytes < 0) {
      throw invalid(UploadHeaders.CLAIM_SIZE, "a byte count");
    }
    return ClaimCheck.newBuilder().setUri(uri).setSha256(sha).setSizeBytes(sizeBytes).build();
  }

  /** The headers that carry this metadata on {@code studies.upload}. */
  public Headers toHeaders() {
    RecordHeaders headers = new RecordHeaders();
    if (sequence != Sequence.UNKNOWN) {
      add(headers, UploadHeaders.SEQUENCE, sequence.name());
    }
    add(headers, UploadHeaders.PART, part.wireName());
    if (part == UploadPart.IMAGE) {
      add(headers, UploadHeaders.EXPECT_MASK, Boolean.toString(expectMask));
    }
    if (part == UploadPart.IMAGE && labelCoverage != null) {
      add(headers, UploadHeaders.LABEL_CLASSES, labelCoverage.classesDeclaration());
      add(headers, UploadHeaders.LABEL_EXTENT, labelCoverage.extentDeclaration());
    }
    if (sourceName != null) {
      add(headers, UploadHeaders.SOURCE_NAME, sourceName);
    }
    if (source != StudySource.TOPIC) {
      add(headers, UploadHeaders.SOURCE, source.name());
    }
    if (claim != null) {
      add(headers, UploadHeaders.CLAIM_URI, claim.getUri());
      add(headers, UploadHeaders.CLAIM_SHA256, claim.getSha256());
      add(headers, UploadHeaders.CLAIM_SIZE, Long.toString(claim.getSizeBytes()));
    }
    return headers;
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean bool(Headers headers, String name) throws IngestRejection {
    String value = text(headers, name);
    if (value == null || value.isBlank()) {
      return false;
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(name, "true or false");
  }

  private static String text(Headers headers, String name) throws IngestRejection {
    Header header = headers == null ? null : headers.lastHeader(name);
    if (header == null || header.value() == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(header.value()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(name, "UTF-8 text");
    }
  }

  private static IngestRejection invalid(String header, String expected) {
    return new IngestRejection(
        IngestReason.INVALID_HEADER, header, expected, header + " must be " + expected);
  }
}
