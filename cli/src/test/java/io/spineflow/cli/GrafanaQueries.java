package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard of docker-compose (deploy/grafana/dashboards/spineflow.json) against the
 * real services: every metric its PromQL queries name is one that some service's /metrics serves.
 * Grafana itself needs Docker, which this machine lacks; this catches a renamed or misspelt metric,
 * the way such a dashboard goes silently blank.
 */
final class GrafanaQueries {
  private static final Path DASHBOARD =
      Path.of("..", "deploy", "grafana", "dashboards", "spineflow.json");
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:spineflow|jvm|process|kafka)_[a-zA-Z0-9_]+)");

  /**
   * Counters tagged by reason appear on their first event, and a clean scenario may have none: they
   * are not required to be served (the panel is empty until something is rejected).
   */
  private static final Set<String> COUNTED_ON_FIRST_EVENT =
      Set.of("spineflow_ingest_studies_rejected_total", "spineflow_preprocess_deadletters_total");

  private GrafanaQueries() {}

  static Set<String> metricsQueried() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> names = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  static void assertEveryMetricIsServed(Map<String, Integer> servicePorts, HttpClient http)
      throws Exception {
    StringBuilder served = new StringBuilder();
    for (int port : servicePorts.values()) {
      served.append(
          http.send(
                  HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }
    Set<String> queried = metricsQueried();
    assertThat(queried).as("metrics the Grafana dashboard queries").hasSizeGreaterThan(10);
    assertThat(servicePorts).hasSizeGreaterThanOrEqualTo(5);
    for (String name : queried) {
      if (COUNTED_ON_FIRST_EVENT.contains(name)) {
        continue;
      }
      assertThat(served.toString())
          .as("Grafana queries %s; no service serves it", name)
          .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]");
    }
  }
}
