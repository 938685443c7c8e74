package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compose file's default upload token passes ingest's own length rule: with a shorter default,
 * {@code docker compose up} starts an ingest that refuses to run ({@code .ci/run} checks the file's
 * syntax with {@code docker-compose config -q}; this checks the value).
 */
class ComposeDefaultsTest {
  @Test
  void theDefaultIngestTokenIsLongEnough() throws Exception {
    String compose = Files.readString(Path.of("..", "docker-compose.yml"));
    Matcher m =
        Pattern.compile("SPINEFLOW_INGEST_TOKEN: \\$\\{SPINEFLOW_INGEST_TOKEN:-([^}]*)}")
            .matcher(compose);
    assertThat(m.find()).as("ingest's token in docker-compose.yml").isTrue();
    assertThat(m.group(1)).hasSizeGreaterThanOrEqualTo(IngestConfig.MIN_TOKEN_LENGTH);
  }
}
