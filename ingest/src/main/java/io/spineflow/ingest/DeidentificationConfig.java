package io.spineflow.ingest;

import io.spineflow.platform.ConfigException;
import io.spineflow.platform.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resolved de-identification settings.
 *
 * @param secret the pseudonyms' key
 * @param pseudonymMap where the mapping is appended, or null to keep none
 */
record DeidentificationConfig(byte[] secret, Path pseudonymMap) {
  static final int MIN_SECRET_BYTES = 16;
  private static final String FILE_PREFIX = "file:";

  /**
   * The configuration, or null when de-identification is off.
   *
   * @throws ConfigException naming the setting when the secret is missing, short or unreadable
   */
  static DeidentificationConfig from(Settings settings) {
    if (!settings.bool(DeidentificationSettings.ENABLED)) {
      return null;
    }
    String name = DeidentificationSettings.SECRET.name();
    String text = settings.string(DeidentificationSettings.SECRET);
    byte[] secret;
    if (text.startsWith(FILE_PREFIX)) {
      Path file = Path.of(text.substring(FILE_PREFIX.length()));
      try {
        secret =
            Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(name, "cannot read the key file " + file + " (" + e + ")");
      }
    } else {
      secret = text.strip().getBytes(StandardCharsets.UTF_8);
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw new ConfigException(
          name,
          "must hold at least "
              + MIN_SECRET_BYTES
              + " bytes when "
              + DeidentificationSettings.ENABLED.name()
              + " is true (env "
              + DeidentificationSettings.SECRET.envVar()
              + "), e.g. file:PATH of `openssl rand -hex 32`");
    }
    String map = settings.string(DeidentificationSettings.PSEUDONYM_MAP);
    return new DeidentificationConfig(secret, map.isBlank() ? null : mapFile(map.strip()));
  }

  private static Path mapFile(String text) {
    try {
      Path path = Path.of(text).toAbsolutePath().normalize();
      return Files.isDirectory(path) ? path.resolve("pseudonyms.tsv") : path;
    } catch (RuntimeException e) {
      throw new ConfigException(
          DeidentificationSettings.PSEUDONYM_MAP.name(), "must be a path, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return "DeidentificationConfig[secret=(hidden), pseudonymMap=" + pseudonymMap + "]";
  }
}
