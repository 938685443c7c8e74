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
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.schemas.SliceKey;
import io.spineflow.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code bench scale}: inference throughput with two instances ÷ one instance, each instance in its
 * own JVM with one PyTorch thread ({@code inference.threads=1}), side by side in one run. Two
 * deployments run at once, each on an embedded broker of its own so that neither's consumer group
 * or transactions touch the other's: "one" with one inference instance, "two" with two. A round
 * writes the same slices onto a deployment's {@code slices} in one transaction, spread evenly over
 * the partitions: read_committed consumers see the whole backlog at once when it commits, and the
 * round's rate is the slices ÷ the time from that commit to the last mask. Rounds alternate the
 * deployments after warm-up rounds ({@link SideBySide}); the figure is the median of the per-round
 * ratios. Reported, no threshold: the brokers, the writer and the reader share the machine's cores
 * with the instances.
 */
public final class ScaleBench {
  /** Partitions of every topic: two instances take two each. */
  static final int PARTITIONS = 4;

  private static final String SLICES_DONE = "spineflow_inference_slices_total";
  private static final int SLICES_PER_STUDY = 16;

  /**
   * What to run.
   *
   * @param config the model every instance serves (untrained: the arithmetic per slice is the same)
   * @param slices slices per round and deployment
   * @param rounds measured rounds
   * @param warmups rounds before them, not recorded (model load, JIT)
   * @param maxBatch {@code inference.max.batch}
   * @param jvmOptions options of each inference JVM
   * @param classpath the launcher's classpath
   * @param out where the instances' logs go
   * @param timeout one round of one deployment gives up after this long
   */
  public record Options(
      UNetConfig config,
      int slices,
      int rounds,
      int warmups,
      int maxBatch,
      List<String> jvmOptions,
      String classpath,
      Path out,
      Duration timeout) {
    public Options {
      if (slices < PARTITIONS || rounds < 1 || warmups < 0) {
        throw new IllegalArgumentException(
            "slices >= "
                + PARTITIONS
                + ", rounds >= 1, warm-ups >= 0: "
                + slices
                + ", "
                + rounds
                + ", "
                + warmups);
      }
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  /**
   * What was measured.
   *
   * @param rounds slices/s of one instance (first) and of two (second), per measured round
   * @param perInstance slices each instance committed over the whole run: "one"'s, then "two"'s
   * @param duplicates masks of a slice that already had one (must be 0)
   */
  public record Report(SideBySide.Rounds rounds, List<Double> perInstance, int duplicates) {
    public double ratio() {
      return rounds.ratio();
    }

    public double oneRate() {
      return rounds.firstMedian();
    }

    public double twoRate() {
      return rounds.secondMedian();
    }

    public double spread() {
      return rounds.ratioSpread();
    }
  }

  private ScaleBench() {}

  public static Report run(Options o, PrintWriter out) throws Exception {
    Files.createDirectories(o.out());
    Path work = Files.createTempDirectory("spineflow-scale-");
    out.printf(
        Locale.ROOT,
        "scale: %d slices of %dx%d per round (untrained %s, base width %d), %d partitions,"
            + " inference.threads 1, inference.max.batch %d, each instance's JVM %s; %d warm-up"
            + " and %d measured rounds%n",
        o.slices(),
        o.config().inputWidth(),
        o.config().inputHeight(),
        o.config().variant(),
        o.config().baseWidth(),
        PARTITIONS,
        o.maxBatch(),
        String.join(" ", o.jvmOptions()),
        o.warmups(),
        o.rounds());
    out.flush();
    try {
      ModelStore store = new ModelStore(work.resolve("models"));
      DjlEngine.ensureStarted(1);
      try (SegmentationModel model = SegmentationModel.untrained(o.config(), Devices.best(), 1)) {
        store.save(InferenceRig.MODEL, 1, model.djlModel().getBlock(), o.config(), Map.of());
      }
      List<SliceInput> inputs = BenchSlices.inputs(64, o.config().inputWidth(), 42);
      try (Deployment one = Deployment.start("one", 1, o, work, store);
          Deployment two = Deployment.start("two", 2, o, work, store)) {
        SideBySide.Rounds rounds =
            SideBySide.run(
                o.warmups(),
                o.rounds(),
                round -> one.measure(round, inputs),
                round -> two.measure(round, inputs),
                (round, a, b) -> {
                  out.printf(
                      Locale.ROOT,
                      "round %d: one instance %.1f slices/s, two instances %.1f slices/s, ratio"
                          + " %.3f%n",
                      round + 1,
                      a,
                      b,
                      b / a);
                  out.flush();
                });
        int total = o.slices() * (o.warmups() + o.rounds());
        List<Double> onePer = one.perInstance(total);
        List<Double> twoPer = two.perInstance(total);
        List<Double> perInstance = new ArrayList<>(onePer);
        perInstance.addAll(twoPer);
        out.printf(
            Locale.ROOT,
            "slices committed per instance over the run: one %s, two %s; duplicated masks %d%n",
            onePer,
            twoPer,
            one.duplicates + two.duplicates);
        return new Report(rounds, perInstance, one.duplicates + two.duplicates);
      }
    } finally {
      TrainingResult.deleteRecursively(work);
    }
  }

  /** An embedded broker, its inference instances, a transactional writer of slices, a reader. */
  private static final class Deployment implements AutoCloseable {
    private final String name;
    private final Options options;
    private final EmbeddedKafkaBroker broker;
    private final Topics topics = new Topics("", PARTITIONS);
    private final List<ServiceProcess> instances = new ArrayList<>();
    private KafkaProducer<String, Slice> writer;
    private KafkaConsumer<String, Mask> masks;
    private int duplicates;

    private Deployment(String name, Options options, EmbeddedKafkaBroker broker) {
      this.name = name;
      this.options = options;
      this.broker = broker;
    }

    static Deployment start(String name, int count, Options o, Path work, ModelStore store)
        throws Exception {
      Deployment d =
          new Deployment(
              name, o, EmbeddedKafkaBroker.start(work.resolve(name).resolve("kafka"), 0, Map.of()));
      try {
        d.startInstances(count, work, store);
        return d;
      } catch (Exception | Error e) {
        d.close();
        throw e;
      }
    }

    private void startInstances(int count, Path work, ModelStore store) throws Exception {
      KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
      try (Admin admin = Admin.create(clients.admin())) {
        new TopicProvisioner(admin, (short) 1).ensure(topics.all());
      }
      for (int n = 1; n <= count; n++) {
        Path log = options.out().resolve(name + "-inference-" + n + ".log");
        Files.deleteIfExists(log);
        List<String> args =
            List.of(
                BacklogBench.arg(CommonSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers()),
                BacklogBench.arg(
                    CommonSettings.DATA_DIR,
                    work.resolve(name).resolve("inference-" + n).toString()),
                BacklogBench.arg(CommonSettings.TOPIC_PARTITIONS, Integer.toString(PARTITIONS)),
                BacklogBench.arg(InferenceSettings.MODEL_STORE, store.root().toString()),
                BacklogBench.arg(InferenceSettings.MAX_BATCH, Integer.toString(options.maxBatch())),
                BacklogBench.arg(InferenceSettings.THREADS, "1"));
        instances.add(
            ServiceProcess.start(
                options.classpath(),
                InferenceService.NAME,
                BacklogBench.freePort(),
                options.jvmOptions(),
                args,
                // Not a StatefulSet pod name: each instance makes its own id in its data dir.
                Map.of("HOSTNAME", "bench-scale"),
                log));
      }
      for (ServiceProcess instance : instances) {
        instance.awaitHealthy(Duration.ofMinutes(2));
      }
      // Inference subscribes to slices once it has a model.
      InferenceRig.announceStoredV1(store, clients, topics, "bench-scale-" + name);
      try (Admin admin = Admin.create(clients.admin())) {
        awaitBalanced(admin, count);
      }
      writer =
          new KafkaProducer<>(
              clients.producer("bench-scale-" + name, "bench-scale-" + name, 4 << 20),
              topics.slices().keySerde().serializer(),
              topics.slices().valueSerde().serializer());
      writer.initTransactions();
      masks =
          new KafkaConsumer<>(
              clients.consumer("bench-scale-reader-" + name, "bench-scale-reader-" + name),
              topics.masks().keySerde().deserializer(),
              topics.masks().valueSerde().deserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topics.masks().name(), p));
      }
      masks.assign(partitions);
      masks.seekToEnd(partitions);
    }

    /** Slices/s of one round: the backlog committed at once, until its last mask. */
    double measure(int round, List<SliceInput> inputs) {
      String prefix = "scale-" + name + "-round" + (round < 0 ? "w" + -round : round) + "-";
      writer.beginTransaction();
      for (int j = 0; j < options.slices(); j++) {
        String study = prefix + (j / SLICES_PER_STUDY);
        int index = j % SLICES_PER_STUDY;
        writer.send(
            new ProducerRecord<>(
                topics.slices().name(),
                j % PARTITIONS,
                new SliceKey(study, index).toString(),
                BenchSlices.event(study, index, inputs.get(j % inputs.size()))));
      }
      writer.commitTransaction();
      long start = System.nanoTime();
      long deadline = start + options.timeout().toNanos();
      Set<String> done = new HashSet<>();
      long last = start;
      while (done.size() < options.slices()) {
        if (System.nanoTime() > deadline || instances.stream().anyMatch(i -> !i.isAlive())) {
          throw new IllegalStateException(
              name
                  + ": "
                  + done.size()
                  + " of "
                  + options.slices()
                  + " masks within "
                  + options.timeout()
                  + "\n"
                  + instances.get(0).logTail(30));
        }
        for (ConsumerRecord<String, Mask> r : masks.poll(Duration.ofMillis(50))) {
          // A mask of another round's slice, or a second one of this round's, is a duplicate.
          if (!r.key().startsWith(prefix) || !done.add(r.key())) {
            duplicates++;
          }
          last = System.nanoTime();
        }
      }
      return options.slices() / ((last - start) / 1e9);
    }

    /**
     * Slices each instance committed, from its {@code /metrics}, once they add up to {@code total}
     * (an instance counts a transaction just after readers can see it) or after 10 s.
     */
    List<Double> perInstance(int total) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        List<Double> counts =
            instances.stream().map(i -> i.metrics().getOrDefault(SLICES_DONE, 0.0)).toList();
        if (counts.stream().mapToDouble(Double::doubleValue).sum() >= total
            || System.nanoTime() > deadline) {
          return counts;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }

    /**
     * Waits until every instance is a member of the inference group holding a share of the
     * partitions, so that a round measures them all from its start.
     */
    private void awaitBalanced(Admin admin, int count) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (true) {
        List<Integer> shares = shares(admin);
        if (shares.size() == count
            && shares.stream().allMatch(n -> n > 0)
            && shares.stream().mapToInt(Integer::intValue).sum() == PARTITIONS) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              name + ": inference group not balanced over " + count + " instances: " + shares);
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }

    /** Partitions each member of the inference group holds; none before the group exists. */
    private static List<Integer> shares(Admin admin) throws InterruptedException {
      try {
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of(InferenceService.GROUP_ID))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(InferenceService.GROUP_ID);
        return group.members().stream().map(m -> m.assignment().topicPartitions().size()).toList();
      } catch (ExecutionException | TimeoutException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          return List.of();
        }
        throw new IllegalStateException("cannot describe the inference group: " + e, e);
      }
    }

    @Override
    public void close() {
      instances.forEach(ServiceProcess::close);
      if (writer != null) {
        writer.close();
      }
      if (masks != null) {
        masks.close();
      }
      broker.close();
    }
  }
}
