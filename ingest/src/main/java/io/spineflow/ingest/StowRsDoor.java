package io.spineflow.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditOutcome;
import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import io.spineflow.imaging.dicom.DicomInstanceSink.ReceivedInstance;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.SeriesReason;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.http.BearerToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /dicomweb/studies}: DICOMweb STOW-RS (PS3.18 10.5). The body is {@code
 * multipart/related; type="application/dicom"}, one DICOM Part 10 instance per part; each is handed
 * to the {@link DicomIntake} on its own, so one bad instance fails alone.
 *
 * <p>The answer is the Store Instances Response Module as DICOM JSON ({@code
 * application/dicom+json}): Referenced SOP Sequence (0008,1199) for the stored instances, Failed
 * SOP Sequence (0008,1198) with Failure Reason (0008,1197) and spineflow's reason code in Error
 * Comment (0000,0902) for the others. Status 200 when every instance was stored, 202 when some
 * failed, 409 when all failed, 400 for a body that is not multipart, 401 without the upload token,
 * 413 above the request size limit, 415 for another media type, 503 when Kafka did not take an
 * instance (its Failure Reason A700: retry).
 */
final class StowRsDoor implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StowRsDoor.class);

  /** The route, relative to ingest's HTTP port. */
  static final String ROUTE = "/dicomweb/studies";

  /** Most instances in one request (the request size limit bounds it too). */
  static final int MAX_INSTANCES = 10_000;

  // PS3.18 table 10.5.3-2 and PS3.4 annex GG: failure reasons.
  static final int PROCESSING_FAILURE = 0x0110;
  static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
  static final int OUT_OF_RESOURCES = 0xA700;
  static final int CANNOT_UNDERSTAND = 0xC000;
  static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final String SOP_CLASS_TAG = "00081150";
  private static final String SOP_INSTANCE_TAG = "00081155";

  private final BearerToken token;
  private final long maxRequestBytes;
  private final DicomIntakeSink intake;
  private final DicomReader reader;
  private final IngestMetrics metrics;
  private final AuditPublisher audit;

  StowRsDoor(
      BearerToken token,
      long maxRequestBytes,
      DicomIntakeSink intake,
      DicomReader reader,
      IngestMetrics metrics,
      AuditPublisher audit) {
    this.token = token;
    this.maxRequestBytes = maxRequestBytes;
    this.intake = intake;
    this.reader = reader;
    this.metrics = metrics;
    this.audit = audit;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(ROUTE)) {
        error(exchange, 404, "NOT_FOUND", null, ROUTE, "STOW-RS is POST " + ROUTE);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        error(exchange, 405, "METHOD_NOT_ALLOWED", null, "POST", "use POST to store instances");
        return;
      }
      if (!token.matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
        metrics.rejected(IngestMetrics.STOW_RS, "UNAUTHORIZED");
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
      String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
      if (contentLength != null && parseLong(contentLength) > maxRequestBytes) {
        tooLarge(exchange);
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      String problem = mediaTypeProblem(contentType);
      if (problem != null) {
        error(
            exchange,
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type",
            "multipart/related; type=\"application/dicom\"",
            problem);
        return;
      }
      byte[] body = HttpUploadDoor.readBounded(exchange.getRequestBody(), maxRequestBytes);
      if (body == null) {
        tooLarge(exchange);
        return;
      }
      metrics.receivedBytes(IngestMetrics.STOW_RS, body.length);
      List<MultipartParser.RawPart> parts;
      try {
        parts =
            MultipartParser.parseRelated(
                body, MultipartParser.boundary(contentType), MAX_INSTANCES);
      } catch (IngestRejection e) {
        metrics.rejected(IngestMetrics.STOW_RS, e.rejection().reasonCode());
        OpsServer.respondJson(exchange, 400, e.rejection().toJson());
        return;
      }
      store(exchange, parts);
    }
  }

  private void store(HttpExchange exchange, List<MultipartParser.RawPart> parts)
      throws IOException {
    String remote = exchange.getRemoteAddress().getAddress().getHostAddress();
    List<Map<String, Object>> referenced = new ArrayList<>();
    List<Map<String, Object>> failed = new ArrayList<>();
    Set<String> series = new LinkedHashSet<>();
    boolean unavailable = false;
    for (MultipartParser.RawPart part : parts) {
      Identity id = identify(part.body());
      Outcome outcome;
      String type = part.mediaType();
      if (type != null && !type.equals("application/dicom")) {
        outcome =
            Outcome.refused(
                IngestReason.MALFORMED_MULTIPART.name(),
                "Content-Type",
                "a part of type " + type + "; only application/dicom instances are stored");
      } else {
        try {
          outcome =
              intake.store(
                  new ReceivedInstance(part.body(), ReceivedInstance.Door.STOW_RS, remote));
        } catch (RuntimeException e) {
          LOG.warn("STOW-RS instance failed unexpectedly: {}", e.getClass().getName());
          outcome = Outcome.unavailable("the instance could not be processed; retry later");
        }
      }
      if (outcome.status() == Outcome.Status.ACCEPTED) {
        referenced.add(id.item());
        if (id.series() != null) {
          series.add(id.series());
        }
      } else {
        unavailable |= outcome.status() == Outcome.Status.UNAVAILABLE;
        Map<String, Object> item = id.item();
        item.put("00081197", value("US", failureReason(outcome)));
        item.put("00000902", value("LO", comment(outcome)));
        failed.add(item);
      }
    }
    intake.batchEnded(ReceivedInstance.Door.STOW_RS, remote);
    Map<String, Object> response = new LinkedHashMap<>();
    if (!failed.isEmpty()) {
      response.put("00081198", sequence(failed));
    }
    if (!referenced.isEmpty()) {
      response.put("00081199", sequence(referenced));
    }
    int status =
        failed.isEmpty()
            ? 200
            : unavailable && referenced.isEmpty() ? 503 : referenced.isEmpty() ? 409 : 202;
    auditRequest(remote, series, referenced.size(), failed.size());
    LOG.info(
        "STOW-RS request: {} instance(s) stored, {} failed, {} series",
        referenced.size(),
        failed.size(),
        series.size());
    OpsServer.respond(exchange, status, "application/dicom+json", JSON.writeValueAsBytes(response));
  }

  /** The SOP class and instance UIDs of a part, for the response, when they can be read. */
  private record Identity(String sopClass, String sopInstance, String series) {
    Map<String, Object> item() {
      Map<String, Object> item = new LinkedHashMap<>();
      if (sopClass != null) {
        item.put(SOP_CLASS_TAG, value("UI", sopClass));
      }
      if (sopInstance != null) {
        item.put(SOP_INSTANCE_TAG, value("UI", sopInstance));
      }
      return item;
    }
  }

  private Identity identify(byte[] bytes) {
    try {
      DicomFile file = reader.readFile(bytes);
      String sopClass = file.dataset().string(DicomTag.SOP_CLASS_UID);
      String sop = file.dataset().string(DicomTag.SOP_INSTANCE_UID);
      // The series it is stored under: a Segmentation's is the series it labels.
      String series = DicomInstances.seriesKeyOf(file);
      return new Identity(uidOrNull(sopClass), uidOrNull(sop), uidOrNull(series));
    } catch (IOException | RuntimeException e) {
      return new Identity(null, null, null);
    }
  }

  private static String uidOrNull(String uid) {
    return uid != null && uid.length() <= 64 && uid.matches("[0-9.]+") ? uid : null;
  }

  static int failureReason(Outcome outcome) {
    if (outcome.status() == Outcome.Status.UNAVAILABLE) {
      return OUT_OF_RESOURCES;
    }
    String code = outcome.reasonCode() == null ? "" : outcome.reasonCode();
    if (code.equals(SeriesReason.UNSUPPORTED_SOP_CLASS.name())) {
      return SOP_CLASS_NOT_SUPPORTED;
    }
    if (code.endsWith("_UNSUPPORTED")
        || code.equals("UNSUPPORTED_TRANSFER_SYNTAX")
        || code.equals("UNKNOWN_TRANSFER_SYNTAX")) {
      return TRANSFER_SYNTAX_NOT_SUPPORTED;
    }
    if (code.equals(IngestReason.UNREADABLE_IMAGE.name())) {
      return PROCESSING_FAILURE;
    }
    return CANNOT_UNDERSTAND;
  }

  /** Error Comment: the reason code and field, within LO's 64 characters; never the message. */
  private static String comment(Outcome outcome) {
    String text = outcome.reasonCode() + (outcome.field() == null ? "" : " " + outcome.field());
    return text.length() <= 64 ? text : text.substring(0, 64);
  }

  private static Map<String, Object> value(String vr, Object value) {
    Map<String, Object> attribute = new LinkedHashMap<>();
    attribute.put("vr", vr);
    attribute.put("Value", List.of(value));
    return attribute;
  }

  private static Map<String, Object> sequence(List<Map<String, Object>> items) {
    Map<String, Object> attribute = new LinkedHashMap<>();
    attribute.put("vr", "SQ");
    attribute.put("Value", items);
    return attribute;
  }

  private void auditRequest(String remote, Set<String> series, int stored, int failed) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("door", "STOW_RS");
    details.put("stored", Integer.toString(stored));
    details.put("failed", Integer.toString(failed));
    if (series.size() > 1) {
      details.put("series", String.join(",", series));
    }
    String subject = series.isEmpty() ? "(no series)" : series.iterator().next();
    try {
      audit.publish(
          AuditAction.UPLOAD,
          stored > 0 ? AuditOutcome.ACCEPTED : AuditOutcome.REJECTED,
          token.identity(),
          remote,
          subject,
          details);
    } catch (IllegalStateException e) {
      // The instances are already on Kafka: their series will be published either way.
      LOG.warn("STOW-RS request stored but not audited: {}", LogSafe.text(e.getMessage()));
    }
  }

  /** Why a Content-Type is not a STOW-RS body, or null when it is. */
  static String mediaTypeProblem(String contentType) {
    if (contentType == null) {
      return "no Content-Type";
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("multipart/related")) {
      return "cannot read a " + media + " body; STOW-RS sends multipart/related";
    }
    String type = MultipartParser.parameters(contentType).get("type");
    if (type != null && !type.trim().equalsIgnoreCase("application/dicom")) {
      return "type="
          + type
          + " is not stored: only application/dicom instances (no metadata + bulk data)";
    }
    return null;
  }

  private void tooLarge(HttpExchange exchange) throws IOException {
    metrics.rejected(IngestMetrics.STOW_RS, "REQUEST_TOO_LARGE");
    exchange.getResponseHeaders().set("Connection", "close");
    error(
        exchange,
        413,
        "REQUEST_TOO_LARGE",
        "Content-Length",
        maxRequestBytes + " bytes",
        "the request exceeds "
            + maxRequestBytes
            + " bytes (ingest.http.max.request.bytes); send"
            + " the series in several requests");
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void error(
      HttpExchange exchange, int status, String code, String field, String limit, String message)
      throws IOException {
    HttpUploadDoor.error(exchange, status, code, field, limit, message);
  }
}
