package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class KafkaReachabilityTest {
  @Test
  void anUnreachableBrokerIsAOneLineErrorNamingBootstrapServers() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + closedPort;
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (Admin admin = Admin.create(clients.admin())) {
      assertThatThrownBy(() -> KafkaReachability.verify(admin, bootstrap, Duration.ofSeconds(2)))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "bootstrap.servers: cannot reach Kafka at "
                  + bootstrap
                  + " within 2 s (is the broker running and the address right?)");
    }
  }

  @Test
  void anEmptyBootstrapSettingIsRefused() {
    assertThatThrownBy(() -> KafkaClients.from(Settings.of(Map.of("bootstrap.servers", " "))))
        .hasMessage("bootstrap.servers: must not be empty");
  }

  @Test
  void aMissingKafkaPropertiesFileNamesTheSetting() {
    assertThatThrownBy(
            () ->
                KafkaClients.from(
                    Settings.of(Map.of("kafka.properties", "/nonexistent/client.properties"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.properties: cannot read /nonexistent/client.properties");
  }
}
