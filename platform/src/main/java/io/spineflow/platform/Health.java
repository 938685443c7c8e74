package io.spineflow.platform;

import java.util.Map;

/**
 * A service's health for {@code /health}: up or not, a one-word state (RUNNING, STARTING,
 * WAITING_FOR_MODEL, ERROR, ...) and details a person can read.
 */
public record Health(boolean up, String state, Map<String, Object> details) {
  public Health {
    details = Map.copyOf(details);
  }

  public static Health up(String state) {
    return new Health(true, state, Map.of());
  }

  public static Health down(String state, String why) {
    return new Health(false, state, Map.of("reason", why));
  }
}
