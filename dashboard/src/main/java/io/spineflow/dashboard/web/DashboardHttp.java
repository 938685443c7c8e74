package io.spineflow.dashboard.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.spineflow.dashboard.DashboardQueries;
import io.spineflow.dashboard.GalleryEntry;
import io.spineflow.dashboard.GalleryImages;
import io.spineflow.dashboard.Json;
import io.spineflow.dashboard.PageState;
import io.spineflow.dashboard.StudyResultView;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP routes, all under {@code /}:
 *
 * <ul>
 *   <li>{@code GET /signin} the sign-in form, {@code POST /signin} its answer, {@code GET
 *       /?token=T} a sign-in link, {@code GET /signout}: see {@link ViewerAccess};
 *   <li>{@code GET /} the page (to the sign-in form without the viewer token); {@code /static/*}
 *       its script, style and icon; {@value StaticAssets#CHART_JS_PATH} Chart.js from its WebJar;
 *   <li>{@code GET /api/state?minutes=N} everything the page shows ({@link PageState}), 503 while
 *       the stores restore;
 *   <li>{@code GET /api/gallery.png?key=K&layer=prediction|truth} a gallery slice with its overlay;
 *   <li>{@code GET /study.html?uid=UID} a study's page; {@code GET /api/studies/UID} its latest
 *       result ({@link io.spineflow.dashboard.PageState.StudyPage}), {@code
 *       /api/studies/UID/labels.mha} and {@code /api/studies/UID/seg.dcm} its files from the blob
 *       store (verified by SHA-256 before a byte is sent);
 *   <li>{@code POST /api/retrain} "Retrain now" ({@link RetrainAction}; {@code Authorization:
 *       Bearer <operator token>}).
 * </ul>
 *
 * The API and the gallery images answer 401 without the viewer token ({@code Authorization: Bearer}
 * or the sign-in cookie); the page's script, style and Chart.js carry no data and need none.
 *
 * <p>Every response carries a Content-Security-Policy that allows only the dashboard's own scripts,
 * styles and images: no inline script, no other origin.
 */
public final class DashboardHttp implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardHttp.class);

  /** The policy every response carries. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  static final int MAX_BODY_BYTES = 8 << 10;

  private final Supplier<Optional<DashboardQueries>> queries;
  private final Supplier<String> streamsState;
  private final GalleryImages images;
  private final RetrainAction retrain;
  private final ViewerAccess viewer;
  private final Duration defaultSpan;
  private final Duration maxSpan;
  private final Supplier<Optional<BlobStore>> blobs;
  private final StaticAssets assets = new StaticAssets();

  /**
   * @param queries the store queries, empty until Kafka Streams has started
   * @param streamsState the Streams state, for a 503 that says why
   */
  public DashboardHttp(
      Supplier<Optional<DashboardQueries>> queries,
      Supplier<String> streamsState,
      GalleryImages images,
      RetrainAction retrain,
      ViewerAccess viewer,
      Duration defaultSpan,
      Duration maxSpan) {
    this(queries, streamsState, images, retrain, viewer, defaultSpan, maxSpan, Optional::empty);
  }

  /**
   * @param blobs the blob store the study downloads are read from; empty before start
   */
  public DashboardHttp(
      Supplier<Optional<DashboardQueries>> queries,
      Supplier<String> streamsState,
      GalleryImages images,
      RetrainAction retrain,
      ViewerAccess viewer,
      Duration defaultSpan,
      Duration maxSpan,
      Supplier<Optional<BlobStore>> blobs) {
    this.blobs = blobs;
    this.viewer = java.util.Objects.requireNonNull(viewer, "viewer");
    this.queries = queries;
    this.streamsState = streamsState;
    this.images = images;
    this.retrain = retrain;
    this.defaultSpan = defaultSpan;
    this.maxSpan = maxSpan;
  }

  /** The routes for {@link io.spineflow.platform.ServiceLauncher#launch}. */
  public Map<String, HttpHandler> routes() {
    return Map.of("/", this);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      if (path.equals("/signin")) {
        signIn(exchange, method);
        return;
      }
      if (path.equals("/signout")) {
        exchange.getResponseHeaders().add("Set-Cookie", viewer.signOutCookie(exchange));
        redirect(exchange, "/signin");
        return;
      }
      if (path.equals("/api/retrain")) {
        if (!method.equals("POST")) {
          methodNotAllowed(exchange, "POST");
          return;
        }
        retrain(exchange);
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        methodNotAllowed(exchange, "GET");
        return;
      }
      if (path.equals(DashboardQueries.STUDY_PAGE_PATH) && !viewer.allows(exchange)) {
        redirect(exchange, "/signin");
        return;
      }
      if (path.equals("/") || path.equals("/index.html")) {
        String token = query(exchange.getRequestURI()).get("token");
        if (token != null) {
          signInByLink(exchange, token);
          return;
        }
        if (!viewer.allows(exchange)) {
          redirect(exchange, "/signin");
          return;
        }
      } else if (path.startsWith("/api/") && !viewer.allows(exchange)) {
        unauthorized(exchange);
        return;
      }
      switch (path) {
        case "/api/state" -> state(exchange);
        case DashboardQueries.GALLERY_IMAGE_PATH -> galleryImage(exchange);
        default -> {
          if (path.startsWith(DashboardQueries.STUDIES_PATH)) {
            study(exchange, path.substring(DashboardQueries.STUDIES_PATH.length()));
          } else {
            asset(exchange, path);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("dashboard request {} failed", LogSafe.text(exchange.getRequestURI().getPath()), e);
      OpsServer.respond(
          exchange, 500, "application/json", Json.page(Map.of("error", "INTERNAL_ERROR")));
    }
  }

  private void state(HttpExchange exchange) throws IOException {
    Optional<DashboardQueries> current = queries.get();
    if (current.isEmpty()) {
      notReady(exchange);
      return;
    }
    Duration span = defaultSpan;
    String minutes = query(exchange.getRequestURI()).get("minutes");
    if (minutes != null) {
      try {
        long m = Long.parseLong(minutes);
        span = Duration.ofMinutes(Math.max(1, Math.min(m, maxSpan.toMinutes())));
      } catch (NumberFormatException e) {
        OpsServer.respondJson(exchange, 400, Map.of("error", "minutes must be a number"));
        return;
      }
    }
    PageState state;
    try {
      state = current.get().state(span);
    } catch (InvalidStateStoreException e) {
      notReady(exchange, e);
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    OpsServer.respond(exchange, 200, "application/json", Json.page(state));
  }

  private void galleryImage(HttpExchange exchange) throws IOException {
    Map<String, String> params = query(exchange.getRequestURI());
    String key = params.get("key");
    String layerName = params.getOrDefault("layer", "prediction").toUpperCase(Locale.ROOT);
    Optional<DashboardQueries> current = queries.get();
    if (key == null || current.isEmpty()) {
      notFound(exchange);
      return;
    }
    GalleryImages.Layer layer;
    try {
      layer = GalleryImages.Layer.valueOf(layerName);
    } catch (IllegalArgumentException e) {
      notFound(exchange);
      return;
    }
    Optional<GalleryEntry> entry;
    try {
      entry = current.get().galleryEntry(key);
    } catch (InvalidStateStoreException e) {
      notReady(exchange, e);
      return;
    }
    Optional<byte[]> png = entry.flatMap(e -> images.png(e, layer));
    if (png.isEmpty()) {
      notFound(exchange);
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
    OpsServer.respond(exchange, 200, "image/png", png.get());
  }

  /** The blob behind one of a study's downloads (null: the result has no such file). */
  private static String blobOf(StudyResultView r, String file) {
    return switch (file) {
      case DashboardQueries.LABELS_FILE -> r.labelBlob();
      case DashboardQueries.SEG_FILE -> r.segBlob();
      default -> r.reportBlob();
    };
  }

  private static String fileNameOf(StudyResultView r, String file) {
    return switch (file) {
      case DashboardQueries.LABELS_FILE -> r.labelFileName();
      case DashboardQueries.SEG_FILE -> r.segFileName();
      default -> r.reportFileName();
    };
  }

  /**
   * {@code UID}: the study's page data; {@code UID/labels.mha}, {@code UID/seg.dcm}, {@code
   * UID/sr.dcm}: its files.
   */
  private void study(HttpExchange exchange, String rest) throws IOException {
    Optional<DashboardQueries> current = queries.get();
    if (current.isEmpty()) {
      notReady(exchange);
      return;
    }
    String file = null;
    String uid = rest;
    for (String name :
        new String[] {
          DashboardQueries.LABELS_FILE, DashboardQueries.SEG_FILE, DashboardQueries.REPORT_FILE
        }) {
      if (rest.endsWith("/" + name)) {
        file = name;
        uid = rest.substring(0, rest.length() - name.length() - 1);
      }
    }
    if (uid.isEmpty()) {
      notFound(exchange);
      return;
    }
    try {
      if (file == null) {
        Optional<PageState.StudyPage> page = current.get().study(uid);
        if (page.isEmpty()) {
          notFound(exchange);
          return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        OpsServer.respond(exchange, 200, "application/json", Json.page(page.get()));
      } else {
        download(exchange, current.get().studyResult(uid), file);
      }
    } catch (InvalidStateStoreException e) {
      notReady(exchange, e);
    }
  }

  /** A study's file, read whole from the blob store and verified before it is sent. */
  private void download(HttpExchange exchange, Optional<StudyResultView> result, String file)
      throws IOException {
    String blob = result.map(r -> blobOf(r, file)).orElse(null);
    Optional<BlobStore> store = blobs.get();
    if (blob == null || store.isEmpty()) {
      notFound(exchange);
      return;
    }
    byte[] bytes;
    try {
      bytes = store.get().get(BlobRef.parse(blob));
    } catch (BlobStoreException | IllegalArgumentException e) {
      LOG.warn(
          "study file {} of {} cannot be read from {}: {}",
          file,
          LogSafe.id(result.get().studyUid()),
          store.get().describe(),
          LogSafe.text(e.getMessage()));
      OpsServer.respondJson(
          exchange,
          502,
          Map.of("error", "BLOB_UNAVAILABLE", "message", "The file cannot be read now."));
      return;
    }
    String name = fileNameOf(result.get(), file);
    exchange
        .getResponseHeaders()
        .set("Content-Disposition", "attachment; filename=\"" + safeFileName(name, file) + "\"");
    exchange.getResponseHeaders().set("Cache-Control", "private, no-store");
    OpsServer.respond(
        exchange,
        200,
        file.equals(DashboardQueries.LABELS_FILE)
            ? "application/octet-stream"
            : "application/dicom",
        bytes);
  }

  /** The event's suggested name when it is a plain file name, else {@code fallback}. */
  static String safeFileName(String name, String fallback) {
    return name != null && name.matches("[A-Za-z0-9._-]{1,200}") ? name : fallback;
  }

  private void retrain(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      OpsServer.respondJson(
          exchange, 413, Map.of("error", "TOO_LARGE", "message", "The request is too large."));
      return;
    }
    RetrainAction.Result result =
        retrain.submit(
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRemoteAddress().getAddress().getHostAddress(),
            body);
    if (result.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"spineflow\"");
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    OpsServer.respond(exchange, result.status(), "application/json", Json.page(result.body()));
  }

  /** {@code GET}: the form; {@code POST}: a token from the form, then the page or the form. */
  private void signIn(HttpExchange exchange, String method) throws IOException {
    if (method.equals("GET") || method.equals("HEAD")) {
      signInPage(exchange, 200, null);
      return;
    }
    if (!method.equals("POST")) {
      methodNotAllowed(exchange, "GET, POST");
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      OpsServer.respondJson(
          exchange, 413, Map.of("error", "TOO_LARGE", "message", "The request is too large."));
      return;
    }
    String token = form(new String(body, StandardCharsets.UTF_8)).get("token");
    if (!viewer.signIn(token)) {
      LOG.warn(
          "refused a dashboard sign-in from {}: wrong viewer token",
          exchange.getRemoteAddress().getAddress().getHostAddress());
      signInPage(exchange, 401, "The token is wrong.");
      return;
    }
    exchange.getResponseHeaders().add("Set-Cookie", viewer.signInCookie(exchange));
    redirect(exchange, "/");
  }

  /**
   * {@code /?token=T}: the link the demo prints. Signs in and redirects to {@code /}, so the token
   * does not stay in the address bar or the history.
   */
  private void signInByLink(HttpExchange exchange, String token) throws IOException {
    if (!viewer.signIn(token)) {
      signInPage(exchange, 401, "The link's token is wrong.");
      return;
    }
    exchange.getResponseHeaders().add("Set-Cookie", viewer.signInCookie(exchange));
    redirect(exchange, "/");
  }

  private void signInPage(HttpExchange exchange, int status, String message) throws IOException {
    Optional<StaticAssets.Asset> page = assets.find("/static/signin.html");
    String html = new String(page.orElseThrow().bytes(), StandardCharsets.UTF_8);
    if (message != null) {
      // A fixed message, never anything from the request.
      html =
          html.replace(
              "<!--MESSAGE-->", "<p class=\"error\" id=\"signin-error\">" + message + "</p>");
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    OpsServer.respond(
        exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    OpsServer.respond(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
  }

  private static void unauthorized(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"spineflow\"");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    OpsServer.respondJson(
        exchange,
        401,
        Map.of(
            "error",
            "UNAUTHORIZED",
            "message",
            "Sign in at /signin, or send Authorization: Bearer <dashboard.viewer.token>."));
  }

  private static Map<String, String> form(String body) {
    try {
      return params(body);
    } catch (IllegalArgumentException e) {
      return Map.of(); // a malformed %-escape: no token
    }
  }

  private void asset(HttpExchange exchange, String path) throws IOException {
    Optional<StaticAssets.Asset> asset = assets.find(path);
    if (asset.isEmpty()) {
      notFound(exchange);
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    OpsServer.respond(exchange, 200, asset.get().contentType(), asset.get().bytes());
  }

  private void notReady(HttpExchange exchange) throws IOException {
    notReady(exchange, null);
  }

  /**
   * 503: the stores are restoring, or (several instances) a part is elsewhere and not reachable.
   */
  private void notReady(HttpExchange exchange, InvalidStateStoreException cause)
      throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "2");
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("error", "NOT_READY");
    body.put("state", streamsState.get());
    body.put("message", "The dashboard is restoring its state from Kafka.");
    if (cause instanceof io.spineflow.dashboard.PeerUnavailableException) {
      body.put(
          "message", "Part of the dashboard's state is on another instance: " + cause.getMessage());
    }
    OpsServer.respondJson(exchange, 503, body);
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    OpsServer.respondJson(exchange, 404, Map.of("error", "NOT_FOUND"));
  }

  private static void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
    exchange.getResponseHeaders().set("Allow", allowed);
    OpsServer.respondJson(exchange, 405, Map.of("error", "METHOD_NOT_ALLOWED"));
  }

  static Map<String, String> query(URI uri) {
    return params(uri.getRawQuery());
  }

  private static Map<String, String> params(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }
}
