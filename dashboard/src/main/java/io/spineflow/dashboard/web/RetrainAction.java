package io.spineflow.dashboard.web;

import io.spineflow.dashboard.Json;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.http.BearerToken;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Retrain now": checks the operator token, validates the request, and publishes exactly one {@link
 * RetrainRequest} (origin DASHBOARD) per request id. The page sends a fresh id with every click, so
 * a retried or double-sent click publishes once. Without a configured token the action is disabled.
 * Never logs the token or the {@code Authorization} header.
 */
public final class RetrainAction {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainAction.class);

  /** Longest reason accepted. */
  public static final int MAX_REASON = 500;

  /** Longest requester name accepted. */
  public static final int MAX_REQUESTED_BY = 80;

  /** Who a request says it comes from when the operator gives no name. */
  public static final String DEFAULT_REQUESTER = "dashboard operator";

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
  private static final int REMEMBERED_IDS = 1024;

  /**
   * Where requests go; the dashboard's implementation sends to {@code retrain} and waits for the
   * ack.
   */
  @FunctionalInterface
  public interface Publisher {
    void publish(RetrainRequest request) throws Exception;
  }

  /**
   * Records a published request on {@code audit}: who ({@code actor}, the operator token's
   * identity), from where, and the request. A failure is a 503: the id is not remembered, so the
   * retried click publishes again (the trainer honours each id once) and is audited then.
   */
  @FunctionalInterface
  public interface Auditor {
    void record(RetrainRequest request, String actor, String remoteAddress) throws Exception;
  }

  /**
   * The HTTP answer.
   *
   * @param status 202 published, 200 a duplicate of a published id, 400 invalid, 401 refused, 503
   *     disabled or Kafka unavailable
   * @param body JSON-ready: {@code requestId}/{@code modelName}, or {@code error} and {@code
   *     message}
   */
  public record Result(int status, Map<String, Object> body) {}

  /** The request body the page sends. */
  public record Body(String reason, String modelName, String requestedBy, String requestId) {}

  private final BearerToken token;
  private final Publisher publisher;
  private final Auditor auditor;
  private final Supplier<List<String>> knownModels;
  private final String defaultModel;
  private final Clock clock;
  private final Set<String> published = new LinkedHashSet<>();

  /**
   * @param token null disables the action
   * @param knownModels the model names a request may name (the live ones and the default)
   */
  public RetrainAction(
      BearerToken token,
      Publisher publisher,
      Supplier<List<String>> knownModels,
      String defaultModel,
      Clock clock) {
    this(token, publisher, (r, actor, remote) -> {}, knownModels, defaultModel, clock);
  }

  /**
   * @param token null disables the action
   * @param auditor records each published request on {@code audit}
   * @param knownModels the model names a request may name (the live ones and the default)
   */
  public RetrainAction(
      BearerToken token,
      Publisher publisher,
      Auditor auditor,
      Supplier<List<String>> knownModels,
      String defaultModel,
      Clock clock) {
    this.token = token;
    this.publisher = publisher;
    this.auditor = auditor;
    this.knownModels = knownModels;
    this.defaultModel = defaultModel;
    this.clock = clock;
  }

  public boolean enabled() {
    return token != null;
  }

  /** Handles one request: {@code authorization} is the header's value (may be null). */
  public Result submit(String authorization, byte[] body) {
    return submit(authorization, null, body);
  }

  /**
   * Handles one request from {@code remoteAddress} (for the audit record; may be null): {@code
   * authorization} is the header's value (may be null).
   */
  public synchronized Result submit(String authorization, String remoteAddress, byte[] body) {
    if (token == null) {
      return error(
          503,
          "RETRAIN_DISABLED",
          "Retrain from the dashboard is disabled: set dashboard.operator.token"
              + " (SPINEFLOW_OPERATOR_TOKEN) to enable it.");
    }
    if (!token.matches(authorization)) {
      LOG.warn("refused a retrain request without a valid operator token");
      return error(401, "UNAUTHORIZED", "Refused: the operator token is missing or wrong.");
    }
    Body request;
    try {
      request = Json.readPage(body, Body.class);
    } catch (IOException | RuntimeException e) {
      return error(400, "BAD_REQUEST", "The request body must be JSON with a reason.");
    }
    if (request == null) {
      return error(400, "BAD_REQUEST", "The request body must be JSON with a reason.");
    }
    String reason = clean(request.reason());
    if (reason.isEmpty()) {
      return error(400, "REASON_REQUIRED", "Say why: the reason is required.");
    }
    if (reason.length() > MAX_REASON) {
      return error(
          400, "REASON_TOO_LONG", "The reason must be at most " + MAX_REASON + " characters.");
    }
    String model = clean(request.modelName());
    if (model.isEmpty()) {
      model = defaultModel;
    }
    if (!knownModels.get().contains(model)) {
      return error(400, "UNKNOWN_MODEL", "No model named '" + model + "' is known here.");
    }
    String requestedBy = clean(request.requestedBy());
    if (requestedBy.isEmpty()) {
      requestedBy = DEFAULT_REQUESTER;
    }
    if (requestedBy.length() > MAX_REQUESTED_BY) {
      return error(
          400, "NAME_TOO_LONG", "The name must be at most " + MAX_REQUESTED_BY + " characters.");
    }
    String id = request.requestId() == null ? "" : request.requestId().trim();
    if (id.isEmpty()) {
      id = UUID.randomUUID().toString();
    } else if (!REQUEST_ID.matcher(id).matches()) {
      return error(400, "BAD_REQUEST_ID", "The request id must be 8-64 letters, digits or '-'.");
    }
    if (published.contains(id)) {
      return new Result(200, answer(id, model, true));
    }
    RetrainRequest retrain =
        RetrainRequest.newBuilder()
            .setRequestId(id)
            .setModelName(model)
            .setRequestedBy(requestedBy)
            .setOrigin(RetrainOrigin.DASHBOARD)
            .setReason(reason)
            .setRequestedAt(Instant.ofEpochMilli(clock.millis()))
            .build();
    try {
      publisher.publish(retrain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "KAFKA_UNAVAILABLE", "Interrupted before Kafka acknowledged the request.");
    } catch (Exception e) {
      LOG.warn("could not publish retrain request {}: {}", id, LogSafe.text(e.toString()));
      return error(503, "KAFKA_UNAVAILABLE", "Kafka did not take the request; try again.");
    }
    try {
      auditor.record(retrain, token.identity(), remoteAddress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "KAFKA_UNAVAILABLE", "Interrupted before the request was audited.");
    } catch (Exception e) {
      LOG.warn("retrain request {} sent but not audited: {}", id, LogSafe.text(e.toString()));
      return error(503, "KAFKA_UNAVAILABLE", "Kafka did not record the request; try again.");
    }
    remember(id);
    LOG.info(
        "retrain request {} for {} by {} (origin DASHBOARD)",
        id,
        LogSafe.text(model),
        LogSafe.text(requestedBy));
    return new Result(202, answer(id, model, false));
  }

  private void remember(String id) {
    published.add(id);
    if (published.size() > REMEMBERED_IDS) {
      published.remove(published.iterator().next());
    }
  }

  private static Map<String, Object> answer(String id, String model, boolean duplicate) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("requestId", id);
    body.put("modelName", model);
    body.put("duplicate", duplicate);
    return body;
  }

  private static Result error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    return new Result(status, body);
  }

  /** Trimmed, with control characters (newlines, escapes) replaced by spaces. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString().trim();
  }
}
