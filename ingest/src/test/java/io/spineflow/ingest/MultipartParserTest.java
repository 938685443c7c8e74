package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
  private static final String BOUNDARY = "----spineflow-boundary-7MA4YWxk";

  @Test
  void readsFieldsAndBinaryFilesThatContainCrLfAndDashes() throws Exception {
    byte[] image =
        "ObjectType = Image\r\n--\r\n----spineflow\0\1\2\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] body =
        body(
            "preamble to ignore\r\n",
            part("uid", null, "study-42".getBytes(StandardCharsets.UTF_8)),
            part("image", "1_t2.mha", image),
            part("sequence", null, "T2".getBytes(StandardCharsets.UTF_8)));

    List<MultipartParser.Part> parts = MultipartParser.parse(body, BOUNDARY);

    assertThat(parts)
        .extracting(MultipartParser.Part::name)
        .containsExactly("uid", "image", "sequence");
    assertThat(parts.get(0).text()).isEqualTo("study-42");
    assertThat(parts.get(1).filename()).isEqualTo("1_t2.mha");
    assertThat(parts.get(1).contentType()).isEqualTo("application/octet-stream");
    assertThat(parts.get(1).body()).isEqualTo(image);
    assertThat(parts.get(2).text()).isEqualTo("T2");
  }

  @Test
  void readsAnEmptyFileAndQuotedParameters() throws Exception {
    byte[] body = body("", part("mask", "a;b \\\"c\\\".mha", new byte[0]));

    List<MultipartParser.Part> parts = MultipartParser.parse(body, BOUNDARY);

    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).body()).isEmpty();
    assertThat(parts.get(0).filename()).isEqualTo("a;b \"c\".mha");
  }

  @Test
  void findsTheBoundaryInTheContentType() throws Exception {
    assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + BOUNDARY))
        .isEqualTo(BOUNDARY);
    assertThat(MultipartParser.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""))
        .isEqualTo("a b");
    assertThatThrownBy(() -> MultipartParser.boundary("multipart/form-data"))
        .isInstanceOfSatisfying(
            IngestRejection.class,
            e -> {
              assertThat(e.rejection().reasonCode()).isEqualTo("MALFORMED_MULTIPART");
              assertThat(e.rejection().field()).isEqualTo("Content-Type");
            });
    assertThatThrownBy(
            () -> MultipartParser.boundary("multipart/form-data; boundary=" + "x".repeat(71)))
        .isInstanceOf(IngestRejection.class);
  }

  @Test
  void refusesTruncatedAndOversizedBodies() {
    byte[] complete = body("", part("image", "x.mha", new byte[] {1, 2, 3}));
    byte[] truncated = java.util.Arrays.copyOf(complete, complete.length - BOUNDARY.length() - 8);
    assertMalformed(truncated, "truncated");

    assertMalformed("no delimiter here".getBytes(StandardCharsets.US_ASCII), "starting with");

    String hugeHeader = "X-Padding: " + "a".repeat(MultipartParser.MAX_PART_HEADER_BYTES) + "\r\n";
    byte[] bigHeaders =
        ("--"
                + BOUNDARY
                + "\r\n"
                + hugeHeader
                + "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--"
                + BOUNDARY
                + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertMalformed(bigHeaders, "part headers");

    byte[][] many = new byte[MultipartParser.MAX_PARTS + 1][];
    for (int i = 0; i < many.length; i++) {
      many[i] = part("f" + i, null, new byte[] {'v'});
    }
    assertMalformed(body("", many), "at most");

    byte[] noDisposition =
        ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertMalformed(noDisposition, "Content-Disposition");
  }

  private static void assertMalformed(byte[] body, String expectation) {
    assertThatThrownBy(() -> MultipartParser.parse(body, BOUNDARY))
        .isInstanceOfSatisfying(
            IngestRejection.class,
            e -> {
              assertThat(e.rejection().reasonCode()).isEqualTo("MALFORMED_MULTIPART");
              assertThat(e.rejection().limit()).contains(expectation);
            });
  }

  static byte[] part(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String disposition = "Content-Disposition: form-data; name=\"" + name + "\"";
    if (filename != null) {
      disposition += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
    }
    out.writeBytes((disposition + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] body(String preamble, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    for (byte[] part : parts) {
      out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
