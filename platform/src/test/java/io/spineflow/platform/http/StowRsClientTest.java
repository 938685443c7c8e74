package io.spineflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.http.StowRsClient.StowException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the STOW-RS client reads a server's answer (PS3.18 10.5.3), and where it posts. */
class StowRsClientTest {
  private static final byte[] FAILED =
      ("{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081197\":{\"vr\":\"US\",\"Value\":[290]},"
              + "\"00000902\":{\"vr\":\"LO\",\"Value\":[\"UNSUPPORTED_SOP_CLASS: no\"]}}]}}")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void okWithoutFailuresIsStored() throws Exception {
    assertThat(StowRsClient.answer(200, "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
    assertThat(StowRsClient.answer(200, new byte[0])).isEqualTo(200);
  }

  @Test
  void aFailedSopSequenceIsARefusalNamingItsReason() {
    for (int status : new int[] {200, 202, 409}) {
      assertThatThrownBy(() -> StowRsClient.answer(status, FAILED))
          .isInstanceOfSatisfying(
              StowException.class,
              e -> {
                assertThat(e.status()).isEqualTo(status);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("Failure Reason 0122")
                    .contains("UNSUPPORTED_SOP_CLASS");
              });
    }
  }

  @Test
  void serverErrorsAndThrottlingAreRetryableOtherClientErrorsNot() {
    for (int status : new int[] {500, 502, 503, 408, 429}) {
      assertThatThrownBy(() -> StowRsClient.answer(status, "<html>busy</html>".getBytes()))
          .isInstanceOfSatisfying(
              StowException.class, e -> assertThat(e.retryable()).as("%d", status).isTrue());
    }
    for (int status : new int[] {400, 401, 403, 404, 413, 415}) {
      assertThatThrownBy(() -> StowRsClient.answer(status, "{}".getBytes()))
          .isInstanceOfSatisfying(
              StowException.class, e -> assertThat(e.retryable()).as("%d", status).isFalse());
    }
  }

  @Test
  void itPostsToStudiesUnderTheBaseAndRefusesOtherSchemes() {
    Duration s = Duration.ofSeconds(1);
    assertThat(new StowRsClient(URI.create("https://pacs/dicom-web/"), null, null, s, s).endpoint())
        .hasToString("https://pacs/dicom-web/studies");
    assertThat(new StowRsClient(URI.create("http://pacs:8080/wado"), "", null, s, s).endpoint())
        .hasToString("http://pacs:8080/wado/studies");
    assertThatThrownBy(() -> new StowRsClient(URI.create("ftp://pacs/"), null, null, s, s))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBodyIsOneDicomPartPerInstance() {
    byte[] body = StowRsClient.multipart("b", List.of(new byte[] {1, 2}, new byte[] {3}));
    String text = new String(body, StandardCharsets.ISO_8859_1);
    assertThat(text)
        .isEqualTo(
            "--b\r\nContent-Type: application/dicom\r\n\r\n\u0001\u0002\r\n"
                + "--b\r\nContent-Type: application/dicom\r\n\r\n\u0003\r\n--b--\r\n");
  }
}
