package io.spineflow.platform;

/**
 * One row of the configuration table: a setting's name (also its {@code --option} without dashes
 * and with dots as dashes), its environment variable, its default and what it does.
 *
 * @param defaultValue the default as text; "" means unset
 */
public record Setting(String name, String envVar, String defaultValue, String description) {

  /** {@code bootstrap.servers} → {@code --bootstrap-servers}. */
  public String option() {
    return "--" + name.replace('.', '-');
  }
}
