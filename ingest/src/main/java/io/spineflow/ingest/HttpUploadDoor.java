package io.spineflow.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Sequence;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.http.BearerToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /studies}: the HTTP door. A raw {@code .mha} body ({@code application/octet-stream},
 * query {@code uid}, {@code sequence}, {@code name}, {@code labelClasses}, {@code labelExtent}) or
 * {@code multipart/form-data} with file parts {@code image} and optional {@code mask} and the same
 * fields. {@code labelClasses}/{@code labelExtent} declare what the mask labels.
 *
 * <p>Responses: 202 {@code {studyUid, contentSha256}} once the upload is acknowledged on {@code
 * studies.upload}; 400 {@code {reasonCode, field, limit, message}} for an invalid study (also
 * dead-lettered, its bytes kept in the quarantine directory); 401 without the bearer token; 413
 * above the size limit (before the body is read); 405, 415; 503 when Kafka does not acknowledge.
 */
final class HttpUploadDoor implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpUploadDoor.class);
  private static final int MAX_FIELD_BYTES = 1024;

  /**
   * Query parameter or multipart field: the classes the mask labels ({@code all}, {@code discs}).
   */
  static final String LABEL_CLASSES = "labelClasses";

  /** Query parameter or multipart field: the extent over which they are complete. */
  static final String LABEL_EXTENT = "labelExtent";

  private final BearerToken token;
  private final long maxRequestBytes;
  private final StudyValidator validator;
  private final UploadPublisher publisher;
  private final Quarantine quarantine;
  private final IngestMetrics metrics;
  private final AuditPublisher audit;

  HttpUploadDoor(
      BearerToken token,
      long maxRequestBytes,
      StudyValidator validator,
      UploadPublisher publisher,
      Quarantine quarantine,
      IngestMetrics metrics,
      AuditPublisher audit) {
    this.audit = audit;
    this.token = token;
    this.maxRequestBytes = maxRequestBytes;
    this.validator = validator;
    this.publisher = publisher;
    this.quarantine = quarantine;
    this.metrics = metrics;
  }

  /** The parsed request: the files and the parameters, before validation. */
  private record Upload(byte[] image, byte[] mask, Map<String, String> params, String fileName) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        error(exchange, 405, "METHOD_NOT_ALLOWED", null, "POST", "use POST to upload a study");
        return;
      }
      if (!token.matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
        metrics.rejected(IngestMetrics.HTTP, "UNAUTHORIZED");
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"spineflow\"");
        error(
            exchange,
            401,
            "UNAUTHORIZED",
            "Authorization",
            "Bearer <ingest.token>",
            "a valid bearer token is required");
        return;
      }
      long declared = declaredLength(exchange);
      if (declared > maxRequestBytes) {
        tooLarge(exchange);
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      String mediaType =
          contentType == null
              ? "application/octet-stream"
              : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      boolean multipart = mediaType.equals("multipart/form-data");
      if (!multipart && !mediaType.equals("application/octet-stream")) {
        error(
            exchange,
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type",
            "application/octet-stream or multipart/form-data",
            "cannot read a " + mediaType + " upload");
        return;
      }
      byte[] body = readBounded(exchange.getRequestBody(), maxRequestBytes);
      if (body == null) {
        tooLarge(exchange);
        return;
      }
      metrics.receivedBytes(IngestMetrics.HTTP, body.length);
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      Upload upload;
      try {
        upload =
            multipart ? multipart(body, contentType, query) : new Upload(body, null, query, null);
      } catch (IngestRejection e) {
        rejectRequest(exchange, null, e.rejection(), Map.of("request.body", body));
        return;
      }
      validateAndPublish(exchange, upload);
    } catch (IOException e) {
      LOG.warn("HTTP upload failed: {}", LogSafe.text(e.toString()));
      throw e;
    }
  }

  private void validateAndPublish(HttpExchange exchange, Upload upload) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("image.mha", upload.image());
    if (upload.mask() != null) {
      files.put("mask.mha", upload.mask());
    }
    String uid = upload.params().get("uid");
    if (uid == null || uid.isEmpty()) {
      uid = StudyUids.derive(ContentHash.of(upload.image(), upload.mask()));
    }
    ValidatedStudy study;
    UploadMetadata metadata;
    try {
      StudyUids.require(uid, "uid");
      metadata = metadata(upload);
      study = validator.validate(upload.image(), upload.mask());
    } catch (IngestRejection e) {
      rejectRequest(exchange, uid, e.rejection(), files);
      return;
    }
    try {
      publisher.publish(uid, metadata, upload.image(), upload.mask());
    } catch (PublishException e) {
      LOG.warn(
          "study {}: HTTP upload not published: {}", LogSafe.id(uid), LogSafe.text(e.getMessage()));
      error(
          exchange,
          503,
          "KAFKA_UNAVAILABLE",
          null,
          null,
          "the upload could not be handed to Kafka; retry later");
      return;
    }
    // Accepted only once audited: if the audit record is not acknowledged the client is told to
    // retry, and the retry (recognised as a re-send by UID and content) is audited then.
    if (!audited(exchange, uid, AuditOutcome.ACCEPTED, auditDetails(study, metadata))) {
      return;
    }
    LOG.info("study {}: HTTP upload handed to studies.upload", LogSafe.id(uid));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("studyUid", uid);
    body.put("contentSha256", study.contentSha256());
    OpsServer.respondJson(exchange, 202, body);
  }

  private static Map<String, String> auditDetails(ValidatedStudy study, UploadMetadata metadata) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("contentSha256", study.contentSha256());
    details.put("door", "HTTP");
    details.put("sequence", metadata.sequence().name());
    return details;
  }

  /** Records the upload on {@code audit}; on failure answers 503 and returns false. */
  private boolean audited(
      HttpExchange exchange, String uid, AuditOutcome outcome, Map<String, String> details)
      throws IOException {
    try {
      audit.publish(
          AuditAction.UPLOAD,
          outcome,
          token.identity(),
          exchange.getRemoteAddress().getAddress().getHostAddress(),
          uid,
          details);
      return true;
    } catch (IllegalStateException e) {
      if (outcome == AuditOutcome.ACCEPTED) {
        error(
            exchange,
            503,
            "KAFKA_UNAVAILABLE",
            null,
            null,
            "the upload could not be audited; retry later (a retry is not a duplicate)");
      }
      return false;
    }
  }

  private UploadMetadata metadata(Upload upload) throws IngestRejection {
    String name = upload.params().get("name");
    if (name == null || name.isEmpty()) {
      name = upload.fileName();
    }
    if (name != null) {
      name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
      if (name.isEmpty()) {
        name = null;
      } else if (name.length() > UploadHeaders.MAX_SOURCE_NAME) {
        throw new IngestRejection(
            IngestReason.INVALID_HEADER,
            "name",
            "at most " + UploadHeaders.MAX_SOURCE_NAME + " characters",
            "the file name is too long");
      }
    }
    String sequenceText = upload.params().get("sequence");
    Sequence sequence;
    if (sequenceText == null || sequenceText.isEmpty()) {
      sequence =
          name == null
              ? Sequence.UNKNOWN
              : SequenceNames.fromStudyName(SequenceNames.studyName(name));
    } else {
      sequence =
          SequenceNames.parse(sequenceText)
              .orElseThrow(
                  () ->
                      new IngestRejection(
                          IngestReason.UNKNOWN_SEQUENCE,
                          "sequence",
                          "T1, T2, T2_SPACE or UNKNOWN",
                          "sequence is not a known MR sequence"));
    }
    LabelCoverage coverage =
        LabelDeclarations.parse(
            upload.params().get(LABEL_CLASSES),
            upload.params().get(LABEL_EXTENT),
            LABEL_CLASSES,
            LABEL_EXTENT);
    LabelDeclarations.requireMask(coverage, upload.mask() != null, LABEL_CLASSES);
    return new UploadMetadata(
        sequence, UploadPart.IMAGE, false, name, StudySource.HTTP, null, coverage);
  }

  private static Upload multipart(byte[] body, String contentType, Map<String, String> query)
      throws IngestRejection {
    List<MultipartParser.Part> parts =
        MultipartParser.parse(body, MultipartParser.boundary(contentType));
    Map<String, String> params = new HashMap<>(query);
    byte[] image = null;
    byte[] mask = null;
    String fileName = null;
    for (MultipartParser.Part part : parts) {
      switch (part.name()) {
        case "image" -> {
          if (image != null) {
            throw duplicatePart("image");
          }
          image = part.body();
          fileName = part.filename();
        }
        case "mask" -> {
          if (mask != null) {
            throw duplicatePart("mask");
          }
          mask = part.body();
        }
        case "uid", "sequence", "name", LABEL_CLASSES, LABEL_EXTENT -> {
          if (part.body().length > MAX_FIELD_BYTES) {
            throw new IngestRejection(
                IngestReason.MALFORMED_MULTIPART,
                part.name(),
                "at most " + MAX_FIELD_BYTES + " bytes",
                "field " + part.name() + " is too long");
          }
          params.put(part.name(), part.text().trim());
        }
        default -> {
          // Unknown parts are ignored, so clients may send more than this version reads.
        }
      }
    }
    if (image == null) {
      throw new IngestRejection(
          IngestReason.MALFORMED_MULTIPART,
          "image",
          "a file part named image",
          "the multipart body has no image part");
    }
    return new Upload(image, mask, params, fileName);
  }

  private static IngestRejection duplicatePart(String name) {
    return new IngestRejection(
        IngestReason.MALFORMED_MULTIPART,
        name,
        "one part named " + name,
        "the multipart body has more than one " + name + " part");
  }

  /** 400, a dead letter pointing at the quarantined bytes, and a metric. */
  private void rejectRequest(
      HttpExchange exchange, String uid, Rejection rejection, Map<String, byte[]> files)
      throws IOException {
    metrics.rejected(IngestMetrics.HTTP, rejection.reasonCode());
    String validUid = StudyUids.isValid(uid) ? uid : null;
    Path kept = quarantine.keep(validUid, files);
    Path location = kept.resolve(files.keySet().iterator().next());
    if (rejection.part() == UploadPart.MASK && files.containsKey("mask.mha")) {
      location = kept.resolve("mask.mha");
    }
    DeadLetter letter =
        IngestEvents.deadLetter(
            validUid, rejection, Origin.ofPath(location), System.currentTimeMillis());
    try {
      publisher.publishDeadLetter(uid, letter);
    } catch (PublishException e) {
      LOG.error(
          "study {}: rejection {} kept in {} but not dead-lettered: {}",
          LogSafe.id(validUid),
          rejection.reasonCode(),
          LogSafe.id(kept.getFileName().toString()),
          LogSafe.text(e.getMessage()));
    }
    LOG.info(
        "study {}: HTTP upload rejected {} (field {}), kept in {}",
        validUid == null ? "(invalid UID)" : LogSafe.id(validUid),
        rejection.reasonCode(),
        LogSafe.text(rejection.field()),
        LogSafe.id(kept.getFileName().toString()));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("reasonCode", rejection.reasonCode());
    if (rejection.field() != null) {
      details.put("field", rejection.field());
    }
    details.put("door", "HTTP");
    // A rejected upload is audited too (the caller held a valid token); a failed audit does not
    // change the 400 the client gets.
    audited(
        exchange, validUid == null ? "(invalid UID)" : validUid, AuditOutcome.REJECTED, details);
    OpsServer.respondJson(exchange, 400, rejection.toJson());
  }

  private void tooLarge(HttpExchange exchange) throws IOException {
    metrics.rejected(IngestMetrics.HTTP, "REQUEST_TOO_LARGE");
    // Closing the exchange afterwards drops the connection rather than reading the rest.
    exchange.getResponseHeaders().set("Connection", "close");
    error(
        exchange,
        413,
        "REQUEST_TOO_LARGE",
        "Content-Length",
        maxRequestBytes + " bytes",
        "the upload exceeds " + maxRequestBytes + " bytes (ingest.http.max.request.bytes)");
  }

  /** A JSON error body: reasonCode, field, limit, message. */
  static void error(
      HttpExchange exchange, int status, String code, String field, String limit, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reasonCode", code);
    body.put("field", field);
    body.put("limit", limit);
    body.put("message", message);
    OpsServer.respondJson(exchange, status, body);
  }

  private static long declaredLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Reads at most {@code max} bytes; null when the body is longer. */
  static byte[] readBounded(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) != -1) {
      total += n;
      if (total > max) {
        return null;
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8).trim());
      } catch (IllegalArgumentException e) {
        // A malformed %-escape: the parameter is ignored, and a missing uid is derived.
      }
    }
    return params;
  }
}
