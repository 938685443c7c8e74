package io.spineflow.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves settings with the precedence command line over environment over default, and parses them
 * with errors that name the setting. Immutable.
 */
public final class Settings {
  private final Map<String, String> commandLine;
  private final Map<String, String> environment;

  public Settings(Map<String, String> commandLine, Map<String, String> environment) {
    this.commandLine = Map.copyOf(commandLine);
    this.environment = Map.copyOf(environment);
  }

  /** Only defaults and the process environment. */
  public static Settings fromEnvironment() {
    return new Settings(Map.of(), System.getenv());
  }

  /** Settings given by name, e.g. from a test; no environment. */
  public static Settings of(Map<String, String> values) {
    return new Settings(values, Map.of());
  }

  /** A copy with {@code name} set as if on the command line. */
  public Settings with(String name, String value) {
    Map<String, String> copy = new HashMap<>(commandLine);
    copy.put(name, value);
    return new Settings(copy, environment);
  }

  public String string(Setting setting) {
    String value = commandLine.get(setting.name());
    if (value == null) {
      value = environment.get(setting.envVar());
    }
    return value == null ? setting.defaultValue() : value.trim();
  }

  public int integer(Setting setting, int min, int max) {
    int value = parse(setting, Integer::parseInt, "an integer");
    if (value < min || value > max) {
      throw new ConfigException(
          setting.name(), "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public long longValue(Setting setting, long min, long max) {
    long value = parse(setting, Long::parseLong, "an integer");
    if (value < min || value > max) {
      throw new ConfigException(
          setting.name(), "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public double decimal(Setting setting, double min, double max) {
    double value = parse(setting, Double::parseDouble, "a number");
    if (!(value >= min && value <= max)) {
      throw new ConfigException(
          setting.name(), "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public boolean bool(Setting setting) {
    String value = string(setting);
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new ConfigException(setting.name(), "must be true or false, got '" + value + "'");
  }

  /** ISO-8601 ({@code PT5S}) or a number with a unit: {@code 250ms}, {@code 5s}, {@code 2m}. */
  public Duration duration(Setting setting) {
    return parse(setting, Settings::parseDuration, "a duration like 250ms, 5s, 2m, 1h or 30d");
  }

  public Path path(Setting setting) {
    return parse(setting, Path::of, "a path");
  }

  private <T> T parse(Setting setting, Function<String, T> parser, String expected) {
    String value = string(setting);
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new ConfigException(setting.name(), "must be " + expected + ", got '" + value + "'");
    }
  }

  /**
   * Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 30d} or ISO-8601 {@code PT..}.
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.startsWith("pt")) {
      return Duration.parse(text);
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long amount = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException(text);
    };
  }
}
