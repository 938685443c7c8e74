package io.spineflow.cli.bench;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.cli.ServiceProcess;
import io.spineflow.inference.InferenceService;
import io.spineflow.inference.InferenceSettings;
import io.spineflow.ingest.IngestService;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.ingest.StudyPusher;
import io.spineflow.model.Devices;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.UNetConfig;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.Setting;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.preprocess.PreprocessService;
import io.spineflow.preprocess.PreprocessSettings;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bench soak}: streams many phantom studies through ingest → preprocess → inference, each
 * service in its own JVM (so each has its own resident set), Kafka embedded in this process, and
 * reports throughput, end-to-end latency percentiles, consumer lag and each service's RSS over
 * time: targets RSS growth ≤ 10% from the end of warm-up to the end, and lag back to 0.
 */
public final class SoakBench {
  /** The services under soak, in pipeline order. */
  public static final List<String> SERVICES =
      List.of(IngestService.NAME, PreprocessService.NAME, InferenceService.NAME);

  /** The RSS growth target after warm-up. */
  public static final double RSS_GROWTH_TARGET = 0.10;

  /** The soak's own small model profile (see {@link Options#profile}). */
  public static final String QUICK = "quick";

  private static final int PARTITIONS = 3;
  private static final double MIB = 1024.0 * 1024.0;

  /**
   * What to run.
   *
   * @param studies phantom studies to stream
   * @param profile the served model: {@value #QUICK} (an untrained width-8 U-Net, the quick demo's
   *     size) or a model profile of {@link UNetConfig#profile} ({@code cpu}: the default model's
   *     architecture, untrained: the same arithmetic per slice as the starter model)
   * @param sizeScale phantom resolution (1: SPIDER-like, 0.5: the quick demo's)
   * @param sliceSize model input (and preprocess output) width and height
   * @param inFlight closed loop: studies sent but not yet complete, at most (rate 0)
   * @param rate open loop: studies per second; 0 sends as fast as the pipeline takes them
   * @param warmupFraction share of the studies that is warm-up (RSS growth is measured after it)
   * @param jvmOptions options of each service's JVM (heap bound)
   * @param classpath the services' classpath (see {@link ServiceProcess#currentClasspath()})
   * @param out where the CSV files, the PNG and the services' logs go
   * @param timeout give up after this long
   */
  public record Options(
      int studies,
      String profile,
      double sizeScale,
      int sliceSize,
      int inFlight,
      double rate,
      double warmupFraction,
      List<String> jvmOptions,
      String classpath,
      Path out,
      Duration timeout) {

    public Options {
      if (studies < 1) {
        throw new IllegalArgumentException("studies must be >= 1: " + studies);
      }
      if (inFlight < 1) {
        throw new IllegalArgumentException("in-flight must be >= 1: " + inFlight);
      }
      if (!(warmupFraction >= 0 && warmupFraction < 1)) {
        throw new IllegalArgumentException("warm-up must be in [0, 1): " + warmupFraction);
      }
      jvmOptions = List.copyOf(jvmOptions);
      model(profile, sliceSize); // rejects an unknown profile or a size the model cannot take
    }

    /** The architecture served: {@code profile}'s, taking {@code sliceSize} square slices. */
    public UNetConfig model() {
      return model(profile, sliceSize);
    }

    private static UNetConfig model(String profile, int sliceSize) {
      UNetConfig base =
          QUICK.equals(profile)
              ? UNetConfig.defaults().withWidths(8, 3, 8 << 3)
              : UNetConfig.profile(profile);
      return base.withInputSize(sliceSize, sliceSize);
    }

    /** The defaults of {@code ./spineflow bench soak}. */
    public static Options defaults(Path out, String classpath) {
      return new Options(
          1000,
          QUICK,
          0.5,
          64,
          4,
          0,
          0.1,
          ServiceJvmOptions.split(ServiceJvmOptions.DEFAULT),
          classpath,
          out,
          Duration.ofMinutes(60));
    }

    public Options withStudies(int n) {
      return new Options(
          n,
          profile,
          sizeScale,
          sliceSize,
          inFlight,
          rate,
          warmupFraction,
          jvmOptions,
          classpath,
          out,
          timeout);
    }

    public Options withTimeout(Duration giveUpAfter) {
      return new Options(
          studies,
          profile,
          sizeScale,
          sliceSize,
          inFlight,
          rate,
          warmupFraction,
          jvmOptions,
          classpath,
          out,
          giveUpAfter);
    }
  }

  /**
   * One service's resident set size.
   *
   * @param samples samples taken while it ran with a known RSS (> 0)
   * @param warmupBytes median RSS of the samples in the 5 s up to the end of warm-up
   * @param endBytes median RSS of the last 5 samples (pipeline drained)
   * @param peakBytes largest RSS after warm-up
   */
  public record ServiceMemory(
      String service, int samples, long minBytes, long warmupBytes, long endBytes, long peakBytes) {
    public double growth() {
      return warmupBytes == 0 ? Double.NaN : (double) endBytes / warmupBytes - 1;
    }

    public boolean withinTarget() {
      return growth() <= RSS_GROWTH_TARGET;
    }
  }

  /**
   * What a soak measured.
   *
   * @param masks distinct slices that got a mask
   * @param seconds from the first study sent to the last study complete
   * @param latencyMillis end-to-end latency of every complete study (received → last mask): p50,
   *     p95, p99, max
   * @param steadyLatencyMillis the same, studies after warm-up only
   * @param uploadLatencyMillis studies after warm-up, from the feeder's upload (claim check
   *     written, {@code studies.upload} sent) to the last mask
   * @param maxLag per service, the largest lag sampled
   * @param endLag per service, the lag once the pipeline drained
   * @param endOffsetLag per service, committed offsets behind the end once drained (differs from
   *     the lag by transaction markers after the last committed offset)
   * @param failure why the soak stopped early, or null
   */
  public record Report(
      int studies,
      int studiesSent,
      int studiesComplete,
      int deadLetteredStudies,
      long slicesEmitted,
      long masks,
      long duplicateMasks,
      long deadLetters,
      double seconds,
      double studiesPerSecond,
      double slicesPerSecond,
      double steadyStudiesPerSecond,
      double steadySlicesPerSecond,
      List<Double> latencyMillis,
      List<Double> steadyLatencyMillis,
      List<Double> uploadLatencyMillis,
      Map<String, Long> maxLag,
      Map<String, Long> endLag,
      Map<String, Long> endOffsetLag,
      List<ServiceMemory> memory,
      int samples,
      Path samplesCsv,
      Path studiesCsv,
      Path png,
      String failure) {

    /** Every study sent completed: each emitted slice has a mask, none was dead-lettered. */
    public boolean allMasked() {
      return failure == null
          && studiesComplete == studies
          && deadLetteredStudies == 0
          && masks == slicesEmitted;
    }

    public boolean lagReturnedToZero() {
      return !endLag.isEmpty() && endLag.values().stream().allMatch(l -> l == 0);
    }

    /** The largest end ÷ warm-up RSS of the services (target ≤ 1.10). */
    public double worstRssRatio() {
      return memory.stream().mapToDouble(m -> 1 + m.growth()).max().orElse(Double.NaN);
    }
  }

  private SoakBench() {}

  /** Runs the soak, narrating on {@code out}, and writes the CSV files and the PNG. */
  public static Report run(Options o, PrintWriter out) throws Exception {
    Files.createDirectories(o.out());
    Path logs = o.out().resolve("logs");
    Path work = Files.createTempDirectory("spineflow-soak-");
    UNetConfig config = o.model();
    out.printf(
        Locale.ROOT,
        "soak: %d phantom studies (T1, T2, T2 SPACE in turn, size scale %.2f, every %dth"
            + " labelled%s), %dx%d slices, untrained %s width %d depth %d (profile %s)%n",
        o.studies(),
        o.sizeScale(),
        SoakFeeder.LABELLED_EVERY,
        o.studies() > SoakFeeder.DISTINCT
            ? "; " + SoakFeeder.DISTINCT + " distinct, then reused under new study UIDs"
            : "",
        o.sliceSize(),
        o.sliceSize(),
        config.variant(),
        config.baseWidth(),
        config.depth(),
        o.profile());
    out.printf(
        Locale.ROOT,
        "services %s, each in its own JVM (%s); Kafka embedded in this process, %d partitions;"
            + " %s%n",
        SERVICES,
        String.join(" ", o.jvmOptions()),
        PARTITIONS,
        o.rate() > 0
            ? String.format(Locale.ROOT, "sending %.2f studies/s", o.rate())
            : "sending as fast as the pipeline takes them (at most "
                + o.inFlight()
                + " studies in flight)");
    out.flush();
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(work.resolve("kafka"), 0, Map.of());
        Admin admin = Admin.create(new KafkaClients(broker.bootstrapServers(), Map.of()).admin())) {
      KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
      Topics topics = new Topics("", PARTITIONS);
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
      Path data = work.resolve("data");
      ModelStore store = new ModelStore(data.resolve("models"));
      installModel(store, config, clients, topics);
      // Stopped before the broker closes (the try's resources close before its finally block).
      List<ServiceProcess> services = new ArrayList<>();
      try {
        services.addAll(startServices(o, broker.bootstrapServers(), data, store, logs));
        // Written while the services start up.
        List<List<Path>> studies =
            SoakFeeder.generate(work.resolve("phantoms"), o.studies(), o.sizeScale());
        if (!until(
            () -> services.stream().allMatch(ServiceProcess::healthy), Duration.ofMinutes(3))) {
          throw new IllegalStateException(
              "services not healthy within 3 minutes; logs in " + logs.toAbsolutePath());
        }
        return soak(o, out, clients, admin, topics, services, studies);
      } finally {
        for (ServiceProcess p : services) {
          p.stop(Duration.ofSeconds(30));
        }
      }
    } finally {
      deleteQuietly(work);
    }
  }

  private static Report soak(
      Options o,
      PrintWriter out,
      KafkaClients clients,
      Admin admin,
      Topics topics,
      List<ServiceProcess> services,
      List<List<Path>> studies)
      throws Exception {
    Map<String, Instant> sentAt = new ConcurrentHashMap<>();
    boolean closedLoop = o.rate() <= 0;
    Semaphore permits = new Semaphore(closedLoop ? o.inFlight() : 0);
    Runnable finished = closedLoop ? permits::release : () -> {};
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    Map<String, SoakSampler.Input> inputs = new LinkedHashMap<>();
    // Each service's consumer group (its default) and input topic.
    inputs.put(
        IngestService.NAME, input(topics.studiesUpload(), "spineflow-" + IngestService.NAME));
    inputs.put(
        PreprocessService.NAME,
        input(topics.studies(), PreprocessSettings.APPLICATION_ID.defaultValue()));
    inputs.put(InferenceService.NAME, input(topics.slices(), InferenceService.groupId(topics)));
    Instant start;
    int warmupCount = Math.max(1, (int) Math.ceil(o.warmupFraction() * o.studies()));
    List<SoakSampler.Sample> samples;
    List<SoakTracker.Completed> completed;
    String failure = null;
    SoakTracker tracker = new SoakTracker(clients, topics, sentAt, finished);
    Thread tracking = new Thread(tracker, "bench-soak-tracker");
    tracking.start();
    try (StudyPusher pusher = new StudyPusher(clients, topics)) {
      SoakFeeder feeder = new SoakFeeder(pusher, studies, sentAt, permits);
      start = Instant.now();
      Thread feeding = new Thread(feeder, "bench-soak-feeder");
      feeding.setDaemon(true);
      feeding.start();
      if (!closedLoop) {
        pacer.scheduleAtFixedRate(
            permits::release, 0, (long) (1e9 / o.rate()), TimeUnit.NANOSECONDS);
      }
      try (SoakSampler sampler =
          new SoakSampler(
              admin,
              clients,
              inputs,
              services,
              tracker,
              feeder::sent,
              start,
              s -> progress(out, s, o.studies()))) {
        sampler.start(Duration.ofSeconds(1));
        SoakSampler.Sample last =
            sampler.await(
                s ->
                    s.done() + tracker.deadLetteredStudies() >= o.studies()
                        || !s.allAlive()
                        || feeder.failure() != null,
                o.timeout());
        if (feeder.failure() != null) {
          failure = "sending failed: " + feeder.failure();
        } else if (last == null) {
          failure = "not complete within " + o.timeout();
        } else if (!last.allAlive()) {
          failure = "a service exited; logs in " + o.out().resolve("logs").toAbsolutePath();
        }
        if (failure == null) {
          // Drained: every group has committed all it consumed. Then a few samples at rest.
          SoakSampler.Sample drained = sampler.await(s -> s.totalLag() == 0, Duration.ofMinutes(2));
          if (drained == null) {
            failure = "consumer lag did not return to 0 within 2 minutes";
          } else {
            sampler.await(s -> s.seconds() >= drained.seconds() + 4.5, Duration.ofSeconds(30));
          }
        }
        feeder.stop();
        pacer.shutdownNow();
        samples = List.copyOf(sampler.samples());
      }
      completed = List.copyOf(tracker.completed());
      if (failure == null && feeder.sent() < o.studies()) {
        failure = "only " + feeder.sent() + " of " + o.studies() + " studies sent";
      }
      Report report =
          SoakResults.report(
              o,
              start,
              warmupCount,
              samples,
              completed,
              tracker,
              feeder.sent(),
              failure,
              services.stream().map(ServiceProcess::service).toList());
      SoakResults.print(out, report, o);
      return report;
    } finally {
      pacer.shutdownNow();
      tracker.close();
      tracking.join(10_000);
    }
  }

  private static SoakSampler.Input input(Topic<String, ?> topic, String group) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < topic.settings().partitions(); p++) {
      partitions.add(new TopicPartition(topic.name(), p));
    }
    return new SoakSampler.Input(group, partitions);
  }

  private static void progress(PrintWriter out, SoakSampler.Sample s, int studies) {
    long whole = Math.round(s.seconds());
    if (whole == 0 || whole % 30 != 0) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %5d s  sent %d, complete %d/%d, %.1f masks/s on average; lag %s; RSS %s MiB%n",
        whole,
        s.sent(),
        s.done(),
        studies,
        s.done() == 0 ? 0.0 : s.masks() / s.seconds(),
        s.lag().values(),
        s.rssBytes().values().stream().map(b -> Math.round(b / MIB)).toList());
    out.flush();
  }

  private static void installModel(
      ModelStore store, UNetConfig config, KafkaClients clients, Topics topics) throws Exception {
    DjlEngine.ensureStarted(1);
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      store.save(InferenceRig.MODEL, 1, model.djlModel().getBlock(), config, Map.of());
    }
    InferenceRig.announceStoredV1(store, clients, topics, "bench-soak-model");
  }

  private static List<ServiceProcess> startServices(
      Options o, String bootstrap, Path data, ModelStore store, Path logs) throws IOException {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    List<String> common =
        List.of(
            arg(CommonSettings.BOOTSTRAP_SERVERS, bootstrap),
            arg(CommonSettings.DATA_DIR, data.toString()),
            arg(CommonSettings.TOPIC_PARTITIONS, Integer.toString(PARTITIONS)));
    Map<String, List<String>> own = new LinkedHashMap<>();
    own.put(IngestService.NAME, List.of(arg(IngestSettings.TOKEN, token)));
    own.put(
        PreprocessService.NAME,
        List.of(
            arg(PreprocessSettings.SLICE_WIDTH, Integer.toString(o.sliceSize())),
            arg(PreprocessSettings.SLICE_HEIGHT, Integer.toString(o.sliceSize()))));
    // One PyTorch thread, as the quick demo: the other core is the rest of the pipeline's.
    own.put(
        InferenceService.NAME,
        List.of(
            arg(InferenceSettings.MODEL_STORE, store.root().toString()),
            arg(InferenceSettings.THREADS, "1")));
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (String service : SERVICES) {
        List<String> args = new ArrayList<>(common);
        args.addAll(own.get(service));
        Path log = logs.resolve(service + ".log");
        Files.deleteIfExists(log);
        started.add(
            ServiceProcess.start(o.classpath(), service, freePort(), o.jvmOptions(), args, log));
      }
      return started;
    } catch (IOException | RuntimeException e) {
      started.forEach(ServiceProcess::kill);
      throw e;
    }
  }

  private static String arg(Setting setting, String value) {
    return setting.option() + "=" + value;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Polls {@code condition} every 250 ms until it holds (true) or {@code timeout} passes. */
  private static boolean until(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<Boolean> held = new CompletableFuture<>();
    try {
      poller.scheduleWithFixedDelay(
          () -> {
            if (condition.getAsBoolean()) {
              held.complete(true);
            }
          },
          0,
          250,
          TimeUnit.MILLISECONDS);
      return held.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      poller.shutdownNow();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  // A leftover temp file is not worth failing the report for.
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Same.
    }
  }
}
