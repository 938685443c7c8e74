package io.spineflow.cli;

import io.spineflow.ingest.StudyPusher;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.KafkaReachability;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow push FILE... --bootstrap-servers HOST:PORT}: what a PACS bridge does: each
 * DICOM instance (files, or folders searched recursively) keyed by its series, and each MetaImage
 * study (and its mask: {@code NAME.mask.mha} beside it or SPIDER's {@code masks/NAME.mha}) onto
 * {@code studies.upload} following the wire contract (ingest/README.md), with the label declaration
 * of {@code NAME.labels} / {@code manifest.tsv} or {@code --label-classes} / {@code
 * --label-extent}.
 */
@Command(
    name = "push",
    description =
        "Send .mha studies, or folders and files of DICOM instances (as storescu +sd +r does), to"
            + " studies.upload, as a PACS bridge does.")
final class PushCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      List.of(
          CommonSettings.BOOTSTRAP_SERVERS,
          CommonSettings.KAFKA_PROPERTIES,
          CommonSettings.TOPIC_PREFIX,
          CommonSettings.STARTUP_TIMEOUT);

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "Studies (.mha/.mhd), DICOM files, or folders of DICOM files (recursive).")
  List<Path> files;

  @Option(
      names = "--label-classes",
      paramLabel = "CLASSES",
      description =
          "What the masks label: all, or a comma list of vertebrae, vertebral-bodies, canal, discs."
              + " Overrides NAME.labels / manifest.tsv.")
  String labelClasses;

  @Option(
      names = "--label-extent",
      paramLabel = "EXTENT",
      description =
          "Where the declared classes are complete: whole-image, labelled-span or"
              + " labelled-span+10mm. Overrides NAME.labels / manifest.tsv.")
  String labelExtent;

  @Override
  public Integer call() throws IOException {
    Settings settings = SettingOptions.resolve(spec, SETTINGS);
    KafkaClients clients = KafkaClients.from(settings);
    try (Admin admin = Admin.create(clients.admin())) {
      KafkaReachability.verify(
          admin, clients.bootstrapServers(), settings.duration(CommonSettings.STARTUP_TIMEOUT));
    }
    Topics topics = new Topics(settings.string(CommonSettings.TOPIC_PREFIX), 1);
    PrintWriter out = spec.commandLine().getOut();
    try (StudyPusher pusher = new StudyPusher(clients, topics)) {
      for (StudyPusher.Pushed p : pusher.push(files, labelClasses, labelExtent)) {
        out.printf(
            "%s  %s%s%s -> %s partition %d offset %d%n",
            p.studyUid(),
            p.image().getFileName(),
            p.mask() == null ? "" : " + " + p.mask().getFileName(),
            p.labelCoverage() == null ? "" : " (labels: " + p.labelCoverage() + ")",
            topics.studiesUpload().name(),
            p.partition(),
            p.offset());
      }
    }
    return 0;
  }
}
