package io.spineflow.ingest;

import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.testkit.SharedKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real ingest service on the shared embedded broker (unless {@code bootstrap.servers} names
 * another), launched as the CLI launches it (topics provisioned, HTTP on a free port), with its own
 * topic prefix and data directory.
 */
final class RunningIngest implements AutoCloseable {
  static final String TOKEN = "it-token-" + UUID.randomUUID();

  final ServiceContext context;
  final IngestService service;
  final IngestConfig config;
  private final ServiceLauncher launcher = new ServiceLauncher();
  final int port;
  final String scheme;

  private RunningIngest(Map<String, String> values) {
    context = ServiceContext.from(IngestService.NAME, Settings.of(values));
    config = IngestConfig.from(context.settings(), context.dataDir());
    ServiceLauncher.prepareKafka(context, IngestService.ownedTopics(context.topics()));
    service =
        launcher.launch(
            context,
            new IngestService(context, config),
            context.httpPort(IngestService.DEFAULT_HTTP_PORT),
            IngestService::routes);
    port = launcher.lastPort();
    scheme = launcher.lastServer().scheme();
  }

  /**
   * @param overrides settings on top of the test defaults (small limits, fast scans)
   */
  static RunningIngest start(Path dataDir, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put("topic.prefix", "it" + UUID.randomUUID().toString().substring(0, 8) + ".");
    values.put("topic.partitions", "2");
    values.put("data.dir", dataDir.toString());
    values.put("http.port", "0");
    values.put("startup.timeout", "60s");
    values.put("ingest.token", TOKEN);
    values.put("ingest.watch.interval", "200ms");
    values.putAll(overrides);
    // Only when no other broker is given, so a test with its own broker never starts the shared
    // one.
    values.computeIfAbsent("bootstrap.servers", k -> SharedKafka.bootstrapServers());
    return new RunningIngest(values);
  }

  String bootstrapServers() {
    return context.kafka().bootstrapServers();
  }

  URI uri(String pathAndQuery) {
    return URI.create(scheme + "://localhost:" + port + pathAndQuery);
  }

  double counter(String name) {
    return context.metrics().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** A phantom study as .mha bytes: image and mask. */
  record PhantomFiles(PhantomStudy study, byte[] image, byte[] mask) {}

  static PhantomFiles phantom(io.spineflow.imaging.Sequence sequence, long seed, double scale) {
    PhantomStudy study =
        new PhantomGenerator().generate(PhantomSpec.of(sequence, seed).withSizeScale(scale));
    return new PhantomFiles(
        study,
        MetaImageWriter.toMhaBytes(study.image(), MetaImageWriter.Compression.NONE),
        MetaImageWriter.toMhaBytes(study.mask(), MetaImageWriter.Compression.ZLIB));
  }

  /** A producer as a PACS bridge would use for {@code studies.upload}. */
  KafkaProducer<String, byte[]> pacsProducer() {
    return new KafkaProducer<>(
        context.kafka().producer("it-pacs", null, 8 << 20),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Sends one part through the Kafka door under the wire contract's headers.
   *
   * @param sequence {@code spineflow.sequence}, or null for none
   * @param part {@code spineflow.part}, or null for none (an image)
   * @param expectMask {@code spineflow.expect-mask}, or null for none
   */
  void send(
      KafkaProducer<String, byte[]> producer,
      String key,
      byte[] value,
      String sequence,
      String part,
      String expectMask) {
    RecordHeaders headers = new RecordHeaders();
    if (sequence != null) {
      headers.add(UploadHeaders.SEQUENCE, sequence.getBytes(StandardCharsets.UTF_8));
    }
    if (part != null) {
      headers.add(UploadHeaders.PART, part.getBytes(StandardCharsets.UTF_8));
    }
    if (expectMask != null) {
      headers.add(UploadHeaders.EXPECT_MASK, expectMask.getBytes(StandardCharsets.UTF_8));
    }
    producer.send(
        new ProducerRecord<>(context.topics().studiesUpload().name(), null, key, value, headers));
  }

  /** {@code POST /studies QUERY} with the upload token. */
  HttpRequest.Builder authorized(String query) {
    return HttpRequest.newBuilder(uri("/studies" + query))
        .header("Authorization", "Bearer " + TOKEN);
  }

  /**
   * Into the watched folder: written under a temporary name, then renamed, as careful senders do.
   */
  static void drop(Path inbox, String name, byte[] bytes) throws IOException {
    Path part = inbox.resolve(name + ".part");
    Files.write(part, bytes);
    Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Sends one sentinel study (a small MetaImage) per {@code studies.upload} partition: once all
   * show on {@code studies}, every output of earlier records is committed.
   *
   * @return the sentinels' keys
   */
  List<String> sendSentinels(String prefix) {
    int partitions = context.topics().studiesUpload().settings().partitions();
    String[] keys = new String[partitions];
    for (int i = 0; java.util.Arrays.stream(keys).anyMatch(k -> k == null); i++) {
      String key = prefix + i;
      int p =
          org.apache.kafka.common.utils.Utils.toPositive(
                  org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
              % partitions;
      if (keys[p] == null) {
        keys[p] = key;
      }
    }
    try (KafkaProducer<String, byte[]> pacs = pacsProducer()) {
      for (String key : keys) {
        send(pacs, key, TestVolumes.mha(TestVolumes.image(98)), null, null, null);
      }
      pacs.flush();
    }
    return List.of(keys);
  }

  @Override
  public void close() {
    launcher.close();
  }
}
