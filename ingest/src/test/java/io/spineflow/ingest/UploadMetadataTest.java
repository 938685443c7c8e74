package io.spineflow.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.ClaimCheck;
import io.spineflow.events.Sequence;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.labels.LabelCoverage;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The headers of the studies.upload wire contract. */
class UploadMetadataTest {

  @Test
  void noHeadersMeanAnUnknownSequenceImageWithoutMaskFromOutside() throws Exception {
    UploadMetadata metadata = UploadMetadata.parse(new RecordHeaders());
    assertThat(metadata)
        .isEqualTo(
            new UploadMetadata(
                Sequence.UNKNOWN, UploadPart.IMAGE, false, null, StudySource.TOPIC, null));
  }

  @Test
  void everyHeaderSurvivesARoundTrip() throws Exception {
    ClaimCheck claim =
        ClaimCheck.newBuilder()
            .setUri("file:///data/claims/abc.bin")
            .setSha256("a".repeat(64))
            .setSizeBytes(123)
            .build();
    UploadMetadata metadata =
        new UploadMetadata(
            Sequence.T2_SPACE, UploadPart.IMAGE, true, "1_t2_SPACE.mha", StudySource.FOLDER, claim);

    assertThat(UploadMetadata.parse(metadata.toHeaders())).isEqualTo(metadata);
    assertThat(UploadMetadata.parse(metadata.withPart(UploadPart.MASK, false).toHeaders()).part())
        .isEqualTo(UploadPart.MASK);
  }

  @Test
  void aLabelDeclarationTravelsOnTheImagePartOnly() throws Exception {
    UploadMetadata metadata =
        UploadMetadata.image(Sequence.T2)
            .withPart(UploadPart.IMAGE, true)
            .withLabelCoverage(LabelCoverage.parse("vertebral-bodies", "labelled-span+2.5mm"));

    Headers headers = metadata.toHeaders();

    assertThat(new String(headers.lastHeader(UploadHeaders.LABEL_CLASSES).value(), UTF_8))
        .isEqualTo("vertebral-bodies");
    assertThat(new String(headers.lastHeader(UploadHeaders.LABEL_EXTENT).value(), UTF_8))
        .isEqualTo("labelled-span+2.5mm");
    assertThat(UploadMetadata.parse(headers)).isEqualTo(metadata);
    assertThat(
            metadata
                .withPart(UploadPart.MASK, false)
                .toHeaders()
                .lastHeader(UploadHeaders.LABEL_CLASSES))
        .isNull();
  }

  @Test
  void badDeclarationsNameTheirHeaderAndTheAcceptedWords() {
    assertRejected(UploadHeaders.LABEL_CLASSES, "discs,ribs", "INVALID_LABEL_DECLARATION", "canal");
    assertRejected(
        UploadHeaders.LABEL_CLASSES,
        "vertebrae,vertebral-bodies",
        "INVALID_LABEL_DECLARATION",
        "vertebral-bodies");
    assertRejected(
        UploadHeaders.LABEL_EXTENT, "half-image", "INVALID_LABEL_DECLARATION", "whole-image");
    assertRejected(
        UploadHeaders.LABEL_EXTENT,
        "labelled-span+500mm",
        "INVALID_LABEL_DECLARATION",
        "0..200 mm");
  }

  @Test
  void valuesAreCaseInsensitiveAndTheLastRepeatedHeaderWins() throws Exception {
    Headers headers = new RecordHeaders();
    add(headers, UploadHeaders.SEQUENCE, "t1");
    add(headers, UploadHeaders.SEQUENCE, "t2");
    add(headers, UploadHeaders.PART, "MASK");
    add(headers, UploadHeaders.EXPECT_MASK, "FALSE");

    UploadMetadata metadata = UploadMetadata.parse(headers);

    assertThat(metadata.sequence()).isEqualTo(Sequence.T2);
    assertThat(metadata.part()).isEqualTo(UploadPart.MASK);
  }

  @Test
  void badValuesNameTheHeaderAndWhatIsExpected() {
    assertRejected(UploadHeaders.SOURCE, "PACS", "INVALID_HEADER", "TOPIC, HTTP, FOLDER or DICOM");
    assertRejected(UploadHeaders.SOURCE_NAME, "x".repeat(256), "INVALID_HEADER", "255");
    assertRejected(UploadHeaders.CLAIM_URI, "file:///x", "INVALID_HEADER", "64 lower-case hex");
    Headers invalidUtf8 = new RecordHeaders();
    invalidUtf8.add(UploadHeaders.SOURCE_NAME, new byte[] {(byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> UploadMetadata.parse(invalidUtf8))
        .isInstanceOfSatisfying(
            IngestRejection.class, e -> assertThat(e.rejection().limit()).isEqualTo("UTF-8 text"));
  }

  private static void assertRejected(String header, String value, String code, String limit) {
    Headers headers = new RecordHeaders();
    add(headers, header, value);
    assertThatThrownBy(() -> UploadMetadata.parse(headers))
        .isInstanceOfSatisfying(
            IngestRejection.class,
            e -> {
              assertThat(e.rejection().reasonCode()).isEqualTo(code);
              if (code.equals("INVALID_LABEL_DECLARATION")) {
                assertThat(e.rejection().field()).isEqualTo(header);
              }
              assertThat(e.rejection().limit()).contains(limit);
            });
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
