package io.spineflow.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.spineflow.events.DeadLetter;
import io.spineflow.events.Segmentation;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.SegmentationWriter;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.DcmtkStorescp;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery service on a real embedded KRaft broker, sending real Segmentations (imaging's
 * writer, a file blob store) to dcmtk's {@code storescp}, to a DICOM port that never answers and to
 * a STOW-RS receiver on the JDK's HTTP server.
 */
class DeliveryIT {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;

  private String bootstrap;
  private Topics topics;
  private FileBlobStore blobs;

  @BeforeEach
  void setUp() {
    assumeTrue(DcmtkStorescp.installed(), "dcmtk is not on the PATH: apt-get install -y dcmtk");
    bootstrap = SharedKafka.bootstrapServers();
    topics = TestTopics.create(bootstrap, 1);
    blobs = new FileBlobStore(dir.resolve("blobs"), 64 << 20);
  }

  /**
   * storescp is not listening when the event arrives: the connection is refused, retried with
   * backoff, and once storescp is started the Segmentation arrives there exactly once.
   */
  @Test
  void aReceiverThatComesUpLaterGetsTheSegmentationOnce() throws Exception {
    int port = DcmtkStorescp.freePort();
    Map<String, String> values = settings();
    values.put("delivery.dicom.host", "127.0.0.1");
    values.put("delivery.dicom.port", Integer.toString(port));
    values.put("delivery.dicom.called.ae", DcmtkStorescp.AE);
    values.put("delivery.attempts", "40");
    values.put("delivery.backoff.initial", "50ms");
    values.put("delivery.backoff.max", "200ms");
    SegmentationWriter.Written seg = SegmentationFiles.of("later-study");
    DeliveryService service = start(values);
    try (KafkaProducer<String, Segmentation> producer = producer();
        TopicReader<String, DeadLetter> deadLetters =
            new TopicReader<>(bootstrap, topics.deadletter())) {
      publish(producer, "study-later", SegmentationEvents.of("study-later", seg, put(seg)));
      await().atMost(BOUND).until(() -> count(service, "failedAttempts") >= 2);
      assertThat(count(service, "delivered")).isZero();

      try (DcmtkStorescp scp = DcmtkStorescp.start(port, dir.resolve("storescp"))) {
        await().atMost(BOUND).until(() -> count(service, "delivered") == 1);
        List<Path> files = scp.received();
        assertThat(files).as(scp.log()).hasSize(1);
        assertThat(
                new DicomReader()
                    .readFile(Files.readAllBytes(files.get(0)))
                    .dataset()
                    .string(DicomTag.SOP_INSTANCE_UID))
            .isEqualTo(seg.sopInstanceUid());
        assertThat(DcmtkStorescp.dcmdump(files.get(0))).contains(seg.sopInstanceUid());
      }
      assertThat(deadLetters.readToEnd(Duration.ofSeconds(2))).isEmpty();
      assertThat(service.health().up()).isTrue();
    } finally {
      service.close();
    }
  }

  /**
   * A DICOM port that accepts connections and never answers: after delivery.attempts attempts one
   * dead letter per event names the reason, the target's setting and the limit; the STOW-RS target
   * got every event meanwhile, an event without a Segmentation is skipped and an undecodable record
   * dead-lettered, and each next record is still processed.
   */
  @Test
  void aSilentReceiverIsOneDeadLetterPerEventAndTheNextEventIsDelivered() throws Exception {
    List<byte[]> stowed = new CopyOnWriteArrayList<>();
    HttpServer stow = stowReceiver(stowed);
    AtomicInteger connections = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = silentAcceptor(silent, connections, held);
      Map<String, String> values = settings();
      values.put("delivery.dicom.host", "127.0.0.1");
      values.put("delivery.dicom.port", Integer.toString(silent.getLocalPort()));
      values.put("delivery.read.timeout", "300ms");
      values.put("delivery.attempts", "3");
      values.put("delivery.backoff.initial", "20ms");
      values.put("delivery.backoff.max", "40ms");
      values.put(
          "delivery.stow.url", "http://127.0.0.1:" + stow.getAddress().getPort() + "/dicom-web");
      values.put("delivery.stow.token", "a-token-of-24-characters");
      SegmentationWriter.Written first = SegmentationFiles.of("silent-1");
      SegmentationWriter.Written second = SegmentationFiles.of("silent-2");
      DeliveryService service = start(values);
      try (KafkaProducer<String, Segmentation> producer = producer();
          KafkaProducer<String, byte[]> raw = rawProducer();
          TopicReader<String, DeadLetter> deadLetters =
              new TopicReader<>(bootstrap, topics.deadletter())) {
        publish(producer, "study-1", SegmentationEvents.of("study-1", first, put(first)));
        raw.send(
                new ProducerRecord<>(
                    topics.segmentations().name(), "study-garbage", new byte[] {1, 2, 3}))
            .get();
        publish(producer, "study-none", SegmentationEvents.withoutSegmentation("study-none"));
        publish(producer, "study-2", SegmentationEvents.of("study-2", second, put(second)));

        List<ConsumerRecord<String, DeadLetter>> letters = deadLetters.awaitAtLeast(3, BOUND);
        await().atMost(BOUND).until(() -> stowed.size() == 2);
        await().atMost(BOUND).until(() -> count(service, "skipped") == 1);

        assertThat(letters)
            .extracting(ConsumerRecord::key)
            .containsExactly("study-1", "study-garbage", "study-2");
        for (ConsumerRecord<String, DeadLetter> letter : List.of(letters.get(0), letters.get(2))) {
          DeadLetter d = letter.value();
          assertThat(d.getReasonCode()).isEqualTo("DELIVERY_FAILED");
          assertThat(d.getField()).isEqualTo("delivery.dicom.host");
          assertThat(d.getLimit()).contains("delivery.attempts=3");
          assertThat(d.getMessage())
              .contains("C-STORE STORESCP@127.0.0.1:" + silent.getLocalPort());
          assertThat(d.getStage()).isEqualTo("delivery");
          assertThat(d.getStudyUid()).isEqualTo(letter.key());
        }
        assertThat(letters.get(1).value().getReasonCode()).isEqualTo("UNDECODABLE_VALUE");
        assertThat(connections.get()).as("3 attempts per event").isEqualTo(6);
        assertThat(stowed)
            .extracting(DeliveryIT::sopInstanceUid)
            .containsExactly(first.sopInstanceUid(), second.sopInstanceUid());
        assertThat(deadLetters.readToEnd(Duration.ofSeconds(2))).hasSize(3);
        assertThat(count(service, "delivered")).isEqualTo(2L);
      } finally {
        service.close();
        stow.stop(0);
        acceptor.interrupt();
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  private Map<String, String> settings() {
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", bootstrap);
    values.put("topic.prefix", topics.prefix());
    values.put("topic.partitions", "1");
    values.put("data.dir", dir.resolve("data").toString());
    values.put("delivery.blob.dir", dir.resolve("blobs").toString());
    values.put("delivery.dicom.called.ae", DcmtkStorescp.AE);
    values.put("delivery.connect.timeout", "2s");
    return values;
  }

  private DeliveryService start(Map<String, String> values) {
    Settings settings = Settings.of(values);
    DeliveryService service =
        new DeliveryService(
            ServiceContext.from(DeliveryService.NAME, settings), DeliveryConfig.from(settings));
    service.start();
    return service;
  }

  private String put(SegmentationWriter.Written seg) {
    return blobs.put(seg.part10()).toString();
  }

  private static long count(DeliveryService service, String name) {
    return ((Number) service.counts().get(name)).longValue();
  }

  private KafkaProducer<String, Segmentation> producer() {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        topics.segmentations().valueSerde().serializer());
  }

  private KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private void publish(KafkaProducer<String, Segmentation> producer, String key, Segmentation e)
      throws Exception {
    producer.send(new ProducerRecord<>(topics.segmentations().name(), key, e)).get();
  }

  /** Accepts connections and holds them open without a byte in answer. */
  private static Thread silentAcceptor(
      ServerSocket server, AtomicInteger connections, List<Socket> held) {
    Thread thread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  held.add(server.accept());
                  connections.incrementAndGet();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-dicom-port");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** A STOW-RS receiver that keeps each request's first part and answers 200 with no failure. */
  private static HttpServer stowReceiver(List<byte[]> stowed) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/dicom-web/studies",
        exchange -> {
          try (exchange) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"Bearer a-token-of-24-characters".equals(auth)
                || type == null
                || !type.startsWith("multipart/related; type=\"application/dicom\"")) {
              exchange.sendResponseHeaders(401, -1);
              return;
            }
            stowed.add(firstPart(body, type.substring(type.indexOf("boundary=") + 9)));
            byte[] answer = "{}".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/dicom+json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    server.start();
    return server;
  }

  private static byte[] firstPart(byte[] body, String boundary) {
    String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    int start = text.indexOf("\r\n\r\n") + 4;
    int end = text.indexOf("\r\n--" + boundary, start);
    return java.util.Arrays.copyOfRange(body, start, end);
  }

  private static String sopInstanceUid(byte[] part10) {
    try {
      return new DicomReader().readFile(part10).dataset().string(DicomTag.SOP_INSTANCE_UID);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
