package io.spineflow.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files, from the classpath: the dashboard's own ({@code index.html}, {@code app.js},
 * {@code style.css}, {@code favicon.svg}) and Chart.js from its WebJar, whatever version the build
 * resolved. No CDN: the page works with no internet.
 */
public final class StaticAssets {
  private static final String OWN = "/io/spineflow/dashboard/web/static/";
  private static final String CHART_JS_POM =
      "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  /** The page's URL of Chart.js. */
  public static final String CHART_JS_PATH = "/vendor/chart.umd.js";

  /** A file and its content type. */
  public record Asset(byte[] bytes, String contentType) {}

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  /** The asset at URL path {@code path} ({@code /}, {@code /static/app.js}, ...), if any. */
  public Optional<Asset> find(String path) {
    String resource;
    if (path.equals("/") || path.equals("/index.html")) {
      resource = OWN + "index.html";
    } else if (path.equals("/study.html")) {
      resource = OWN + "study.html";
    } else if (path.equals("/favicon.ico")) {
      resource = OWN + "favicon.svg";
    } else if (path.equals(CHART_JS_PATH)) {
      resource = chartJsResource();
    } else if (path.startsWith("/static/") && path.matches("/static/[A-Za-z0-9_-]+\\.[a-z]+")) {
      resource = OWN + path.substring("/static/".length());
    } else {
      return Optional.empty();
    }
    if (resource == null) {
      return Optional.empty();
    }
    Asset cached = cache.get(resource);
    if (cached != null) {
      return Optional.of(cached);
    }
    try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      String extension = resource.substring(resource.lastIndexOf('.') + 1);
      Asset asset =
          new Asset(in.readAllBytes(), TYPES.getOrDefault(extension, "application/octet-stream"));
      cache.put(resource, asset);
      return Optional.of(asset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The classpath location of Chart.js's UMD build in the WebJar, or null without the jar. */
  static String chartJsResource() {
    try (InputStream in = StaticAssets.class.getResourceAsStream(CHART_JS_POM)) {
      if (in == null) {
        return null;
      }
      Properties pom = new Properties();
      pom.load(in);
      return "/META-INF/resources/webjars/chart.js/"
          + pom.getProperty("version")
          + "/dist/chart.umd.js";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
