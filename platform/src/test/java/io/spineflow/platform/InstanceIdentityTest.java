package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.platform.InstanceIdentity.Source;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdentityTest {
  @TempDir Path dir;

  @Test
  void theSettingWins() {
    try (InstanceIdentity id = InstanceIdentity.resolve(" gpu-a ", "inference-3", dir)) {
      assertThat(id.id()).isEqualTo("gpu-a");
      assertThat(id.source()).isEqualTo(Source.SETTING);
    }
    assertThat(dir.resolve("instance.id")).doesNotExist();
  }

  @Test
  void aStatefulSetHostNameGivesAnIdThatIsStableAcrossRestarts() {
    try (InstanceIdentity id = InstanceIdentity.resolve("", "inference-gpu-12", dir)) {
      assertThat(id.id()).isEqualTo("inference-gpu-12");
      assertThat(id.source()).isEqualTo(Source.HOST_NAME);
    }
    // No lock, no file: two pods may share nothing on disk.
    assertThat(dir.resolve("instance.lock")).doesNotExist();
  }

  @Test
  void onlyAnOrdinalSuffixedDnsLabelCounts() {
    assertThat(InstanceIdentity.isOrdinalHostName("inference-0")).isTrue();
    assertThat(InstanceIdentity.isOrdinalHostName("spineflow-inference-10")).isTrue();
    // A container id, a plain host, a fully qualified name, a trailing dash: not a pod ordinal.
    assertThat(InstanceIdentity.isOrdinalHostName("3f2a9c1b7d4e")).isFalse();
    assertThat(InstanceIdentity.isOrdinalHostName("radiology")).isFalse();
    assertThat(InstanceIdentity.isOrdinalHostName("inference-0.inference.svc")).isFalse();
    assertThat(InstanceIdentity.isOrdinalHostName("inference-")).isFalse();
    assertThat(InstanceIdentity.isOrdinalHostName("Inference-1")).isFalse();
  }

  @Test
  void withoutEitherAnIdIsMadeOnceInTheDataDirectoryAndReusedOnRestart() throws Exception {
    String first;
    try (InstanceIdentity id = InstanceIdentity.resolve("", "3f2a9c1b7d4e", dir)) {
      first = id.id();
      assertThat(id.source()).isEqualTo(Source.DATA_DIR);
      assertThat(first).matches("[0-9a-f-]{36}");
    }
    assertThat(Files.readString(dir.resolve("instance.id"), StandardCharsets.UTF_8).trim())
        .isEqualTo(first);
    try (InstanceIdentity restarted = InstanceIdentity.resolve("", null, dir)) {
      assertThat(restarted.id()).isEqualTo(first);
    }
    // Another data directory, another instance: another id.
    try (InstanceIdentity other = InstanceIdentity.resolve("", null, dir.resolve("other"))) {
      assertThat(other.id()).isNotEqualTo(first);
    }
  }

  @Test
  void aSecondLiveInstanceOnTheSameDataDirectoryFailsWithOneLineNamingIt() {
    try (InstanceIdentity running = InstanceIdentity.resolve("", null, dir)) {
      assertThatThrownBy(() -> InstanceIdentity.resolve("", null, dir))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "data.dir: "
                  + dir
                  + " is in use by another running instance (it holds instance.lock); give each"
                  + " instance its own data directory")
          .satisfies(e -> assertThat(((ConfigException) e).setting()).isEqualTo("data.dir"));
      assertThat(running.id()).isNotEmpty();
    }
    // Released on close: the next start takes it, with the same id.
    try (InstanceIdentity next = InstanceIdentity.resolve("", null, dir)) {
      assertThat(next.source()).isEqualTo(Source.DATA_DIR);
    }
  }

  @Test
  void anInstanceInAnotherProcessHoldsTheDirectoryUntilItStops() throws Exception {
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldInstanceDir.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      // Past anything the JVM itself prints first.
      String line = out.readLine();
      while (line != null && !line.startsWith("held ")) {
        line = out.readLine();
      }
      assertThat(line).startsWith("held ");
      assertThatThrownBy(() -> InstanceIdentity.resolve("", null, dir))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("is in use by another running instance");

      other.getOutputStream().close();
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // Its successor (this process now) takes the directory and the same id.
      try (InstanceIdentity next = InstanceIdentity.resolve("", null, dir)) {
        assertThat(next.id()).isEqualTo(line.substring("held ".length()));
      }
    } finally {
      other.destroyForcibly();
    }
  }
}
