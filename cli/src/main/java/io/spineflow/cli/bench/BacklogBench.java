package io.spineflow.cli.bench;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.cli.ServiceProcess;
import io.spineflow.events.Mask;
import io.spineflow.events.Slice;
import io.spineflow.inference.InferenceService;
import io.spineflow.inference.InferenceSettings;
import io.spineflow.model.Devices;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.TrainingResult;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Setting;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bench backlog}: inference started on a backlog, as after a WAITING_FOR_MODEL period or an
 * outage. Tens of thousands of slices are written onto {@code slices} (in transactions, as
 * preprocess writes them) while inference, in its own JVM, has no model; then the model is
 * announced and inference catches up. Its resident set is sampled every second from {@code
 * /proc/PID/status} and its held-slices gauges from {@code /metrics}. Target: RSS at the end of the
 * catch-up ÷ RSS early in it (once 10% of the slices are done: model loaded, JIT warm) ≤ 1.10, held
 * slices never above the bound, every slice one mask, lag 0 afterwards.
 */
public final class BacklogBench {
  /** The RSS growth target. */
  public static final double RSS_GROWTH_TARGET = 1.10;

  private static final int PARTITIONS = 3;
  private static final int PER_TRANSACTION = 500;
  private static final double EARLY_FRACTION = 0.10;
  private static final double MIB = 1024.0 * 1024.0;

  /**
   * What to run.
   *
   * @param slices slices in the backlog
   * @param sliceSize slice width and height (the model's input)
   * @param maxBatch {@code inference.max.batch}
   * @param jvmOptions options of the inference JVM
   * @param classpath the service's classpath
   * @param out where backlog.csv and the service's log go
   * @param timeout give up after this long
   */
  public record Options(
      int slices,
      int sliceSize,
      int maxBatch,
      List<String> jvmOptions,
      String classpath,
      Path out,
      Duration timeout) {
    public Options {
      if (slices < 100) {
        throw new IllegalArgumentException("slices must be >= 100: " + slices);
      }
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  /** One sample, every second while catching up. */
  public record Sample(double seconds, int masks, long rssBytes, int held, int heldMax) {}

  /**
   * What was measured.
   *
   * @param rssEarly RSS once {@link #EARLY_FRACTION} of the slices had their mask
   * @param rssEnd RSS when the last slice had its mask
   * @param heldMax the most slices held at once (the service's own high-water mark)
   * @param bound the most slices it may hold
   * @param lagZero whether the inference group's lag on {@code slices} came back to 0
   */
  public record Report(
      int slices,
      int masks,
      int distinctMasks,
      double writeSeconds,
      double catchUpSeconds,
      long rssEarly,
      long rssEnd,
      int heldMax,
      int bound,
      boolean lagZero,
      List<Sample> samples) {
    public double rssGrowth() {
      return rssEarly == 0 ? Double.NaN : (double) rssEnd / rssEarly;
    }

    public boolean exactlyOnce() {
      return masks == slices && distinctMasks == slices;
    }
  }

  private BacklogBench() {}

  public static Report run(Options o, PrintWriter out) throws Exception {
    Files.createDirectories(o.out());
    Path work = Files.createTempDirectory("spineflow-backlog-");
    UNetConfig config =
        UNetConfig.defaults().withWidths(8, 3, 8 << 3).withInputSize(o.sliceSize(), o.sliceSize());
    out.printf(
        Locale.ROOT,
        "backlog: %d slices of %dx%d waiting before inference gets its model (untrained %s width"
            + " %d), inference.max.batch %d, inference JVM %s%n",
        o.slices(),
        o.sliceSize(),
        o.sliceSize(),
        config.variant(),
        config.baseWidth(),
        o.maxBatch(),
        String.join(" ", o.jvmOptions()));
    out.flush();
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(work.resolve("kafka"), 0, Map.of())) {
      KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
      Topics topics = new Topics("", PARTITIONS);
      try (Admin admin = Admin.create(clients.admin())) {
        new TopicProvisioner(admin, (short) 1).ensure(topics.all());
      }
      ModelStore store = new ModelStore(work.resolve("models"));
      DjlEngine.ensureStarted(1);
      try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
        store.save(InferenceRig.MODEL, 1, model.djlModel().getBlock(), config, Map.of());
      }
      try (ServiceProcess inference = startInference(o, broker, work, store)) {
        inference.awaitHealthy(Duration.ofMinutes(2));
        long writeStart = System.nanoTime();
        writeBacklog(o, clients, topics, out);
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        out.printf(
            Locale.ROOT,
            "wrote %d slices in %.0f s; announcing the model%n",
            o.slices(),
            writeSeconds);
        out.flush();
        InferenceRig.announceStoredV1(store, clients, topics, "bench-backlog-model");
        Report report = catchUp(o, inference, clients, topics, writeSeconds, out);
        writeCsv(o.out().resolve("backlog.csv"), report.samples());
        return report;
      }
    } finally {
      TrainingResult.deleteRecursively(work);
    }
  }

  private static ServiceProcess startInference(
      Options o, EmbeddedKafkaBroker broker, Path work, ModelStore store) throws IOException {
    Path log = o.out().resolve("inference.log");
    Files.deleteIfExists(log);
    List<String> args =
        List.of(
            arg(CommonSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers()),
            arg(CommonSettings.DATA_DIR, work.resolve("data").toString()),
            arg(CommonSettings.TOPIC_PARTITIONS, Integer.toString(PARTITIONS)),
            arg(InferenceSettings.MODEL_STORE, store.root().toString()),
            arg(InferenceSettings.MAX_BATCH, Integer.toString(o.maxBatch())),
            // One PyTorch thread, as the quick demo: the other core writes and reads Kafka.
            arg(InferenceSettings.THREADS, "1"));
    return ServiceProcess.start(
        o.classpath(), InferenceService.NAME, freePort(), o.jvmOptions(), args, log);
  }

  /** The backlog, in transactions like a Kafka Streams producer's commits. */
  private static void writeBacklog(
      Options o, KafkaClients clients, Topics topics, PrintWriter out) {
    List<SliceInput> inputs = BenchSlices.inputs(64, o.sliceSize(), 42);
    try (KafkaProducer<String, Slice> producer =
        new KafkaProducer<>(
            clients.producer("bench-backlog", "bench-backlog", 4 << 20),
            topics.slices().keySerde().serializer(),
            topics.slices().valueSerde().serializer())) {
      producer.initTransactions();
      for (int i = 0; i < o.slices(); i += PER_TRANSACTION) {
        producer.beginTransaction();
        for (int j = i; j < Math.min(o.slices(), i + PER_TRANSACTION); j++) {
          String study = "backlog-" + (j / 20);
          producer.send(
              new ProducerRecord<>(
                  topics.slices().name(),
                  new SliceKey(study, j % 20).toString(),
                  BenchSlices.event(study, j % 20, inputs.get(j % inputs.size()))));
        }
        producer.commitTransaction();
        if ((i / PER_TRANSACTION) % 20 == 19) {
          out.printf(Locale.ROOT, "  wrote %d%n", i + PER_TRANSACTION);
          out.flush();
        }
      }
    }
  }

  /** Reads masks until every slice has one, sampling RSS and the held gauges every second. */
  private static Report catchUp(
      Options o,
      ServiceProcess inference,
      KafkaClients clients,
      Topics topics,
      double writeSeconds,
      PrintWriter out)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + o.timeout().toNanos();
    List<Sample> samples = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int masks = 0;
    long rssEarly = 0;
    long nextSample = start;
    try (KafkaConsumer<String, Mask> reader =
        new KafkaConsumer<>(
            clients.consumer("bench-backlog-reader", "bench-backlog-reader"),
            topics.masks().keySerde().deserializer(),
            topics.masks().valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          reader.partitionsFor(topics.masks().name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      while (masks < o.slices()) {
        if (System.nanoTime() > deadline || !inference.isAlive()) {
          throw new IllegalStateException(
              "inference did not catch up ("
                  + masks
                  + " of "
                  + o.slices()
                  + " masks):\n"
                  + inference.logTail(30));
        }
        for (ConsumerRecord<String, Mask> r : reader.poll(Duration.ofMillis(200))) {
          masks++;
          keys.add(r.key());
        }
        if (System.nanoTime() - nextSample >= 0) {
          Sample s = sample(inference, start, masks);
          samples.add(s);
          nextSample += TimeUnit.SECONDS.toNanos(1);
          if (rssEarly == 0 && masks >= o.slices() * EARLY_FRACTION) {
            rssEarly = s.rssBytes();
          }
          if (samples.size() % 15 == 0) {
            out.printf(
                Locale.ROOT,
                "  %5.0f s  masks %d/%d, RSS %.0f MiB, held %d (max %d)%n",
                s.seconds(),
                s.masks(),
                o.slices(),
                s.rssBytes() / MIB,
                s.held(),
                s.heldMax());
            out.flush();
          }
        }
      }
    }
    double catchUp = (System.nanoTime() - start) / 1e9;
    Sample last = sample(inference, start, masks);
    samples.add(last);
    if (rssEarly == 0) {
      rssEarly = samples.get(0).rssBytes();
    }
    boolean lagZero = awaitLagZero(clients, topics, Duration.ofMinutes(1));
    return new Report(
        o.slices(),
        masks,
        keys.size(),
        writeSeconds,
        catchUp,
        rssEarly,
        last.rssBytes(),
        last.heldMax(),
        2 * o.maxBatch(),
        lagZero,
        List.copyOf(samples));
  }

  private static Sample sample(ServiceProcess inference, long start, int masks) {
    Map<String, Double> gauges = inference.metrics();
    return new Sample(
        (System.nanoTime() - start) / 1e9,
        masks,
        inference.residentBytes().orElse(0),
        (int) Math.round(gauges.getOrDefault("spineflow_inference_held_slices", -1.0)),
        (int) Math.round(gauges.getOrDefault("spineflow_inference_held_slices_max", -1.0)));
  }

  /** Whether the inference group's lag on {@code slices} reaches 0 (end offset = committed). */
  private static boolean awaitLagZero(KafkaClients clients, Topics topics, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(clients.admin())) {
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(InferenceService.groupId(topics))
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
          ask.put(new TopicPartition(topics.slices().name(), p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(ask).all().get();
        boolean zero =
            ends.entrySet().stream()
                .allMatch(
                    e ->
                        committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() == e.getValue().offset());
        if (zero) {
          return true;
        }
        TimeUnit.MILLISECONDS.sleep(250);
      }
    }
    return false;
  }

  private static void writeCsv(Path file, List<Sample> samples) {
    List<String> lines = new ArrayList<>();
    lines.add("seconds,masks,rss_mib,held,held_max");
    for (Sample s : samples) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%.1f,%d,%.1f,%d,%d",
              s.seconds(),
              s.masks(),
              s.rssBytes() / MIB,
              s.held(),
              s.heldMax()));
    }
    try {
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String arg(Setting setting, String value) {
    return setting.option() + "=" + value;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
