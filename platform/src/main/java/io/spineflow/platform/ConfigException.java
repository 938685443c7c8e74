package io.spineflow.platform;

/**
 * Bad configuration, reported to the operator as one line that names the setting: an unknown
 * option, an unreachable {@code bootstrap.servers}, a port in use. Never printed with a stack
 * trace.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String setting;

  public ConfigException(String setting, String problem) {
    super(setting + ": " + problem);
    this.setting = setting;
  }

  public ConfigException(String setting, String problem, Throwable cause) {
    super(setting + ": " + problem, cause);
    this.setting = setting;
  }

  /** The setting (or option) at fault, e.g. {@code bootstrap.servers}. */
  public String setting() {
    return setting;
  }
}
