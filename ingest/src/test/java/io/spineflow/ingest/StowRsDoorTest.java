package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The STOW-RS door's pure parts: the multipart/related body, media types, failure reasons. */
class StowRsDoorTest {
  @Test
  void aRelatedBodyNeedsNoContentDispositionAndKeepsBinaryParts() throws Exception {
    byte[] instance = "DICM\r\n--x\0\1".getBytes(StandardCharsets.ISO_8859_1);
    byte[] body =
        ("--b\r\nContent-Type: application/dicom\r\n\r\n"
                + new String(instance, StandardCharsets.ISO_8859_1)
                + "\r\n--b\r\nContent-Type: application/dicom+json\r\n\r\n{}\r\n--b--\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    List<MultipartParser.RawPart> parts = MultipartParser.parseRelated(body, "b", 10);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).mediaType()).isEqualTo("application/dicom");
    assertThat(parts.get(0).body()).isEqualTo(instance);
    assertThat(parts.get(1).mediaType()).isEqualTo("application/dicom+json");
  }

  @Test
  void aRelatedBodyWithMorePartsThanTheLimitIsMalformed() {
    byte[] body = "--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> MultipartParser.parseRelated(body, "b", 1))
        .isInstanceOfSatisfying(
            IngestRejection.class,
            e -> {
              assertThat(e.rejection().reasonCode()).isEqualTo("MALFORMED_MULTIPART");
              assertThat(e.rejection().limit()).isEqualTo("at most 1 parts");
            });
  }

  @Test
  void onlyMultipartRelatedOfDicomInstancesIsRead() {
    assertThat(
            StowRsDoor.mediaTypeProblem(
                "multipart/related; type=\"application/dicom\"; boundary=x"))
        .isNull();
    assertThat(StowRsDoor.mediaTypeProblem("Multipart/Related; boundary=x")).isNull();
    assertThat(StowRsDoor.mediaTypeProblem("multipart/related; type=\"application/dicom+xml\""))
        .contains("application/dicom+xml");
    assertThat(StowRsDoor.mediaTypeProblem("application/dicom")).contains("multipart/related");
    assertThat(StowRsDoor.mediaTypeProblem(null)).isEqualTo("no Content-Type");
  }

  @Test
  void failureReasonsFollowPs318() {
    assertThat(StowRsDoor.failureReason(Outcome.refused("UNSUPPORTED_SOP_CLASS", null, "x")))
        .isEqualTo(0x0122);
    assertThat(StowRsDoor.failureReason(Outcome.refused("JPEG_2000_UNSUPPORTED", null, "x")))
        .isEqualTo(0xC122);
    assertThat(StowRsDoor.failureReason(Outcome.refused("TRUNCATED_DATA", null, "x")))
        .isEqualTo(0xC000);
    assertThat(StowRsDoor.failureReason(Outcome.refused("UNREADABLE_IMAGE", null, "x")))
        .isEqualTo(0x0110);
    assertThat(StowRsDoor.failureReason(Outcome.unavailable("down"))).isEqualTo(0xA700);
  }
}
