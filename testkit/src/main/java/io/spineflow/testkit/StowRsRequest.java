package io.spineflow.testkit;

import io.spineflow.platform.http.StowRsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

/**
 * A DICOMweb STOW-RS request as a PACS sends one (PS3.18 10.5): every instance a part of one {@code
 * multipart/related; type="application/dicom"} body, the bearer token, and a DICOM JSON response
 * asked for. Tests of every module send DICOM to ingest's door through this one builder.
 */
public final class StowRsRequest {
  private StowRsRequest() {}

  /** A POST of {@code instances} (Part 10 files) to {@code endpoint} with {@code token}. */
  public static HttpRequest of(URI endpoint, String token, List<byte[]> instances) {
    String boundary = "spineflow-" + UUID.randomUUID();
    byte[] body = StowRsClient.multipart(boundary, instances);
    return HttpRequest.newBuilder(endpoint)
        .header("Authorization", "Bearer " + token)
        .header(
            "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
        .header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
