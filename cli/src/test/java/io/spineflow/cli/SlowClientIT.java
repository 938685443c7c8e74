package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spineflow.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall (slowloris: headers never finished; an upload that stops mid-body) are
 * disconnected after {@code http.request.timeout}, so more of them than the service has request
 * threads cannot starve {@code /health}: the ingest service runs in its own JVM (the JDK server
 * reads the limit once per JVM) with a 2 s limit.
 */
class SlowClientIT {
  private static final int STALLED = 8; // twice the request threads

  @TempDir Path dir;

  @Test
  void stalledClientsAreDisconnectedAndHealthKeepsAnswering() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of());
        ServiceProcess ingest =
            ServiceProcess.start(
                PackagedLauncher.classpath(),
                "ingest",
                PackagedLauncher.freePort(),
                List.of("-Xmx256m"),
                List.of(
                    "--bootstrap-servers=" + broker.bootstrapServers(),
                    "--data-dir=" + dir.resolve("ingest"),
                    "--ingest-token=slow-client-test-token",
                    "--http-request-timeout=2s"),
                dir.resolve("ingest.log"))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .failFast(() -> assertThat(ingest.isAlive()).as(ingest.logTail(20)).isTrue())
          .until(ingest::healthy);

      List<Socket> stalled = new ArrayList<>();
      for (int i = 0; i < STALLED; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), ingest.httpPort());
        OutputStream out = socket.getOutputStream();
        String head =
            i % 2 == 0
                ? "POST /studies HTTP/1.1\r\nHost: x\r\n" // headers never end
                : "POST /studies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer"
                    + " slow-client-test-token\r\nContent-Length: 1000000\r\n\r\nObjectType = ";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        stalled.add(socket);
      }
      for (Socket socket : stalled) {
        assertThat(closedByServerWithin(socket, Duration.ofSeconds(20)))
            .as("a stalled client is disconnected")
            .isTrue();
      }
      await().atMost(Duration.ofSeconds(20)).until(ingest::healthy);
      assertThat(ingest.isAlive()).isTrue();
    }
  }

  /** Reads until the server closes the connection (EOF or reset) or the wait runs out. */
  private static boolean closedByServerWithin(Socket socket, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    try (socket) {
      InputStream in = socket.getInputStream();
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout(500);
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          // still open: read again until the deadline
        } catch (IOException e) {
          return true; // reset by the server
        }
      }
      return false;
    }
  }
}
