package io.spineflow.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * A DICOMweb STOW-RS client (PS3.18 10.5): POSTs Part 10 instances as one {@code multipart/related;
 * type="application/dicom"} body to {@code <base>/studies}, with an optional bearer token, over
 * HTTPS when the base URL says so (trusting what {@code tls} trusts), and reads the answer: 200
 * stored; 202 or 409 with a Failed SOP Sequence (0008,1198) not stored, with its Failure Reason
 * (0008,1197); 408, 429, 5xx and a connection that fails may succeed later (retryable); any other
 * status is a refusal a retry cannot change.
 */
public final class StowRsClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILED_SOP_SEQUENCE = "00081198";
  private static final String FAILURE_REASON = "00081197";
  private static final String ERROR_COMMENT = "00000902";

  private final URI endpoint;
  private final String token;
  private final HttpClient http;
  private final Duration requestTimeout;

  /**
   * Why a STOW-RS request did not store its instances; {@link #retryable()} says if a retry may.
   */
  public static final class StowException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean retryable;

    public StowException(int status, boolean retryable, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.retryable = retryable;
    }

    /** The HTTP status, or -1 when there was no response. */
    public int status() {
      return status;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  /**
   * @param base the DICOMweb service root, e.g. {@code https://pacs.example/dicom-web}
   * @param token the bearer token, or null/empty for none
   * @param tls the client context for an https base (null: the JDK's default trust)
   */
  public StowRsClient(
      URI base, String token, SSLContext tls, Duration connectTimeout, Duration requestTimeout) {
    Objects.requireNonNull(base, "base");
    String scheme = base.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + base);
    }
    String root = base.toString();
    this.endpoint = URI.create((root.endsWith("/") ? root : root + "/") + "studies");
    this.token = token == null || token.isEmpty() ? null : token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    this.requestTimeout = requestTimeout;
  }

  /** Where the instances are POSTed. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Stores {@code instances}; returns the HTTP status (200) once the server stored them all.
   *
   * @throws StowException when it did not, or when it could not be asked
   */
  public int store(List<byte[]> instances) throws StowException, InterruptedException {
    String boundary = "spineflow-" + UUID.randomUUID();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
            .header("Accept", "application/dicom+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, instances)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new StowException(-1, true, endpoint + ": no answer within the timeout", e);
    } catch (IOException e) {
      throw new StowException(-1, true, endpoint + ": " + e, e);
    }
    return answer(response.statusCode(), response.body());
  }

  /** The status's meaning (see the class comment). */
  static int answer(int status, byte[] body) throws StowException {
    List<String> failures = failures(body);
    if (status == 200 && failures.isEmpty()) {
      return status;
    }
    String detail =
        failures.isEmpty() ? snippet(body) : "failed instances: " + String.join("; ", failures);
    boolean retryable = status == 408 || status == 429 || status >= 500;
    throw new StowException(status, retryable, "HTTP " + status + ": " + detail, null);
  }

  /** Failure Reason (hex) and Error Comment of each Failed SOP Sequence item; empty if none. */
  private static List<String> failures(byte[] body) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode items = root == null ? null : root.path(FAILED_SOP_SEQUENCE).path("Value");
      if (items == null || !items.isArray()) {
        return out;
      }
      for (JsonNode item : items) {
        JsonNode reason = item.path(FAILURE_REASON).path("Value").path(0);
        JsonNode comment = item.path(ERROR_COMMENT).path("Value").path(0);
        out.add(
            "Failure Reason "
                + (reason.isInt() ? String.format("%04X", reason.asInt()) : "?")
                + (comment.isTextual() ? " (" + comment.asText() + ")" : ""));
      }
    } catch (IOException e) {
      // not DICOM JSON (an HTML error page, an empty body): the status says it all
    }
    return out;
  }

  private static String snippet(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  /** The {@code multipart/related} body: one {@code application/dicom} part per instance. */
  public static byte[] multipart(String boundary, List<byte[]> instances) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] instance : instances) {
      body.writeBytes(
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(instance);
      body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }
}
