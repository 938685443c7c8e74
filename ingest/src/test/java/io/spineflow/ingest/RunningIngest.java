package io.spineflow.ingest;

import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.testkit.SharedKafka;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

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
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
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

  @Override
  public void close() {
    launcher.close();
  }
}
