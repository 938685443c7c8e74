package io.spineflow.cli.bench;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.events.AnnouncementKind;
import io.spineflow.events.Mask;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Slice;
import io.spineflow.inference.InferenceService;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the inference benchmarks run on: an embedded broker, the real inference service, a model
 * store with real models, a producer of slices and a read_committed reader of masks.
 */
final class InferenceRig implements AutoCloseable {
  static final String MODEL = "spine-unet";

  final UNetConfig config;
  final Topics topics;
  final ModelStore store;
  private final Path dir;
  private final EmbeddedKafkaBroker broker;
  private final KafkaProducer<String, Slice> slices;
  private final KafkaProducer<String, ModelAnnouncement> announcements;
  private final KafkaConsumer<String, Mask> masks;
  private final ServiceLauncher launcher = new ServiceLauncher();
  final InferenceService service;

  InferenceRig(UNetConfig config, int maxBatch) throws IOException {
    this(config, maxBatch, Map.of());
  }

  /**
   * @param extraSettings further inference settings by name (e.g. {@code
   *     inference.swap.warmup.rounds})
   */
  InferenceRig(UNetConfig config, int maxBatch, Map<String, String> extraSettings)
      throws IOException {
    this.config = config;
    this.dir = Files.createTempDirectory("spineflow-bench-");
    this.broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of());
    this.topics = new Topics("", 1);
    this.store = new ModelStore(dir.resolve("models"));
    KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    try (Admin admin = Admin.create(clients.admin())) {
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
    }
    slices =
        new KafkaProducer<>(
            clients.producer("bench-slices", null, 4 << 20),
            topics.slices().keySerde().serializer(),
            topics.slices().valueSerde().serializer());
    announcements =
        new KafkaProducer<>(
            clients.producer("bench-models", null, 1 << 20),
            topics.models().keySerde().serializer(),
            topics.models().valueSerde().serializer());
    Map<String, Object> consumer = clients.consumer("bench-reader", "bench-reader");
    masks =
        new KafkaConsumer<>(
            consumer,
            topics.masks().keySerde().deserializer(),
            topics.masks().valueSerde().deserializer());
    List<TopicPartition> partitions =
        masks.partitionsFor(topics.masks().name()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    masks.assign(partitions);
    masks.seekToBeginning(partitions);
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("data.dir", dir.toString());
    settings.put("model.store", store.root().toString());
    settings.put("inference.max.batch", Integer.toString(maxBatch));
    settings.put("topic.partitions", "1");
    settings.putAll(extraSettings);
    ServiceContext context = ServiceContext.from("inference", Settings.of(settings));
    service = InferenceService.create(context);
    launcher.launch(context, service, 0, s -> Map.of());
  }

  StoredModel storeModel(int version) throws IOException {
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), version)) {
      return store.save(MODEL, version, model.djlModel().getBlock(), config, Map.of());
    }
  }

  void announce(StoredModel stored) throws Exception {
    ModelAnnouncement announcement = ModelAnnouncements.promoted(stored);
    announcements.send(new ProducerRecord<>(topics.models().name(), MODEL, announcement)).get();
  }

  void send(String study, int index, SliceInput input) {
    slices.send(
        new ProducerRecord<>(
            topics.slices().name(),
            new SliceKey(study, index).toString(),
            BenchSlices.event(study, index, input)));
  }

  void flush() {
    slices.flush();
  }

  /** Reads masks until {@code count} arrived or {@code timeout} passed; returns what arrived. */
  List<Mask> awaitMasks(List<Mask> into, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (into.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, Mask> r : masks.poll(Duration.ofMillis(100))) {
        into.add(r.value());
      }
    }
    return into;
  }

  static List<Mask> newList() {
    return new ArrayList<>();
  }

  @Override
  public void close() {
    launcher.close();
    slices.close();
    announcements.close();
    masks.close();
    broker.close();
  }

  /**
   * Announces version 1 of {@link #MODEL}, already saved in {@code store}, on {@code models} (the
   * benchmarks that run inference in a JVM of its own start it from this announcement).
   */
  static void announceStoredV1(ModelStore store, KafkaClients clients, Topics topics, String client)
      throws Exception {
    ModelAnnouncement announcement =
        ModelAnnouncements.fromStore(store, MODEL, 1, AnnouncementKind.PROMOTED, Instant.now());
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            clients.producer(client, null, topics.models().settings().maxMessageBytes()),
            topics.models().keySerde().serializer(),
            topics.models().valueSerde().serializer())) {
      producer
          .send(new ProducerRecord<>(topics.models().name(), MODEL, announcement))
          .get(30, TimeUnit.SECONDS);
    }
  }
}
