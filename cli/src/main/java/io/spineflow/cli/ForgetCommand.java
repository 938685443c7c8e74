package io.spineflow.cli;

import io.spineflow.cli.erasure.ErasurePlan;
import io.spineflow.cli.erasure.ErasureReport;
import io.spineflow.cli.erasure.StudyEraser;
import io.spineflow.dashboard.DashboardService;
import io.spineflow.ingest.IngestService;
import io.spineflow.ingest.IngestSettings;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.KafkaReachability;
import io.spineflow.platform.ModelSettings;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStoreSettings;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.preprocess.PreprocessSettings;
import io.spineflow.schemas.Topics;
import io.spineflow.trainer.TrainerService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow forget STUDY_UID}: removes one study from everywhere it went and prints what
 * was removed and what cannot be, with when it ages out ({@link ErasurePlan}, {@link StudyEraser}).
 */
@Command(
    name = "forget",
    description =
        "Erase one study everywhere it went (claim checks, trainer cache, quality floor, store"
            + " changelogs) and report what cannot be removed and when it ages out. Run it with"
            + " the services stopped.")
final class ForgetCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      Stream.concat(
              Stream.of(
                  CommonSettings.BOOTSTRAP_SERVERS,
                  CommonSettings.KAFKA_PROPERTIES,
                  CommonSettings.TOPIC_PREFIX,
                  CommonSettings.STARTUP_TIMEOUT,
                  CommonSettings.DATA_DIR,
                  IngestSettings.CLAIMS_DIR,
                  PreprocessSettings.APPLICATION_ID,
                  PreprocessSettings.CLAIM_CHECK_DIR,
                  ModelSettings.MODEL_NAME,
                  ModelSettings.MODEL_STORE),
              // blobstore.type=s3: the bucket's claim checks are erased too.
              BlobStoreSettings.all().stream())
          .toList();

  /** Longest one topic may take to be read to its end. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "STUDY_UID", description = "The study to erase, as it was uploaded.")
  String studyUid;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who asks for the erasure, recorded on the audit topic (default: user name).")
  String actor;

  @Override
  public Integer call() throws IOException {
    Settings settings = SettingOptions.resolve(spec, SETTINGS);
    KafkaClients clients = KafkaClients.from(settings);
    Topics topics = new Topics(settings.string(CommonSettings.TOPIC_PREFIX), 1);
    ErasurePlan plan = ErasurePlan.of(studyUid, topics, settings);
    try (Admin admin = Admin.create(clients.admin())) {
      KafkaReachability.verify(
          admin, clients.bootstrapServers(), settings.duration(CommonSettings.STARTUP_TIMEOUT));
      try (BlobStore remote = remoteClaims(settings)) {
        StudyEraser eraser =
            new StudyEraser(
                clients,
                admin,
                topics,
                READ_TIMEOUT,
                Clock.systemUTC(),
                remote == null ? List.of() : List.of(remote));
        List<String> warnings = eraser.runningServices(runningAdvice(topics, settings));
        String who = actor != null ? actor : "operator:" + System.getProperty("user.name", "?");
        ErasureReport report = eraser.erase(plan, who, warnings);
        spec.commandLine().getOut().print(report.toText());
      }
    }
    return 0;
  }

  /** The S3 blob store when {@code blobstore.type=s3}; null for file (the plan's directories). */
  private static BlobStore remoteClaims(Settings settings) {
    return "s3".equals(settings.string(BlobStoreSettings.TYPE))
        ? BlobStores.open(settings, settings.path(CommonSettings.DATA_DIR).resolve("forget"))
        : null;
  }

  /** Consumer group of each service holding the study's state → what to do if it is running. */
  static Map<String, String> runningAdvice(Topics topics, Settings settings) {
    String dataDir = settings.string(CommonSettings.DATA_DIR);
    Map<String, String> advice = new LinkedHashMap<>();
    for (String service : List.of(IngestService.NAME, DashboardService.NAME)) {
      advice.put(topics.prefix() + "spineflow-" + service, restoreAdvice(service, dataDir));
    }
    advice.put(
        topics.prefix() + settings.string(PreprocessSettings.APPLICATION_ID),
        restoreAdvice("preprocess", dataDir));
    advice.put(
        "spineflow-trainer-"
            + topics.prefix()
            + settings.string(ModelSettings.MODEL_NAME)
            + "-data",
        TrainerService.NAME
            + " is running: its in-memory index still lists the study's deleted slices; restart"
            + " it");
    return advice;
  }

  private static String restoreAdvice(String service, String dataDir) {
    return service
        + " is running: its local store keeps the study until it restores from the tombstoned"
        + " changelog: stop it, delete "
        + dataDir
        + "/"
        + service
        + "/streams, start it";
  }
}
