package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.model.Devices;
import io.spineflow.testkit.SharedKafka;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration errors that need a running broker to show: a port in use, a required GPU that the
 * engine does not have.
 */
class ConfigErrorsIT {
  @TempDir Path dataDir;

  @Test
  void aPortInUseIsOneLineNamingHttpPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      SpineflowTest.Result r =
          SpineflowTest.run(
              "ingest",
              "--bootstrap-servers",
              SharedKafka.bootstrapServers(),
              "--topic-prefix",
              "cfg-errors.",
              "--data-dir",
              dataDir.toString(),
              "--ingest-token",
              "a-token-of-sufficient-length",
              "--http-port",
              Integer.toString(taken.getLocalPort()));
      assertThat(r.code()).isEqualTo(Spineflow.USAGE);
      assertThat(r.err().strip())
          .isEqualTo(
              "spineflow: http.port: port "
                  + taken.getLocalPort()
                  + " of ingest is already in use");
    }
  }

  @Test
  void aRequiredGpuThatIsAbsentIsOneLineNamingInferenceDevice() {
    assumeTrue(Devices.gpuCount() == 0, "the engine sees a GPU here");
    SpineflowTest.Result r =
        SpineflowTest.run(
            "inference",
            "--bootstrap-servers",
            SharedKafka.bootstrapServers(),
            "--topic-prefix",
            "cfg-errors.",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            "0",
            "--inference-device",
            "gpu");
    assertThat(r.code()).isEqualTo(Spineflow.USAGE);
    assertThat(r.err().strip())
        .startsWith(
            "spineflow: inference.device: device 'gpu' requested but 0 usable GPU(s) found (")
        .doesNotContain("\n");
  }
}
