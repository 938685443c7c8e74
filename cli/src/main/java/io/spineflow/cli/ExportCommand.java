package io.spineflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spineflow.events.LevelResult;
import io.spineflow.events.Segmentation;
import io.spineflow.events.StoredOutput;
import io.spineflow.imaging.levels.LevelMeasurement;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.platform.AvroTree;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.KafkaReachability;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.platform.TopicScan;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.BlobStoreException;
import io.spineflow.platform.blob.BlobStoreSettings;
import io.spineflow.platform.blob.BlobStores;
import io.spineflow.platform.deadletter.EventDecoder;
import io.spineflow.platform.deadletter.PoisonException;
import io.spineflow.results.ResultsConfig;
import io.spineflow.results.ResultsSettings;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow export STUDY --out DIR [--force]}: a study's latest result ({@code
 * segmentations}) as files a clinician or researcher can take away: the label volume, the DICOM
 * Segmentation and measurement report, the levels as CSV and the whole event as JSON. The blobs are
 * fetched by reference and verified (SHA-256) by the blob store.
 */
@Command(
    name = "export",
    description =
        "Write a study's latest segmentation result into DIR: STUDY-labels.mha (0 background, 1"
            + " vertebrae, 100 canal, 201 discs, 65535 not segmented), STUDY-seg.dcm (the DICOM"
            + " Segmentation, when there is one), STUDY-sr.dcm (the per-level measurements as a"
            + " DICOM SR, TID 1500, when there is one), STUDY-levels.csv (per-level heights and"
            + " canal diameter) and STUDY-result.json (everything the result says).")
final class ExportCommand implements Callable<Integer> {
  static final List<Setting> SETTINGS =
      Stream.concat(
              Stream.of(
                  CommonSettings.BOOTSTRAP_SERVERS,
                  CommonSettings.KAFKA_PROPERTIES,
                  CommonSettings.TOPIC_PREFIX,
                  CommonSettings.STARTUP_TIMEOUT,
                  CommonSettings.DATA_DIR,
                  ResultsSettings.OUTPUT_DIR),
              BlobStoreSettings.all().stream())
          .toList();

  /** Longest the topic may take to be read to the end it had at start. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "STUDY", description = "The study UID (the key of its result).")
  String study;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write.")
  Path out;

  @Option(names = "--force", description = "Overwrite files that are already there.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Settings settings = SettingOptions.resolve(spec, SETTINGS);
    Topics topics = new Topics(settings.string(CommonSettings.TOPIC_PREFIX), 1);
    List<Path> targets = targets();
    if (!force) {
      for (Path target : targets) {
        if (Files.exists(target)) {
          err.println("spineflow: export: " + target + " exists (--force overwrites it)");
          return 1;
        }
      }
    }
    KafkaClients clients = KafkaClients.from(settings);
    try (Admin admin = Admin.create(clients.admin())) {
      KafkaReachability.verify(
          admin, clients.bootstrapServers(), settings.duration(CommonSettings.STARTUP_TIMEOUT));
    }
    Segmentation result = latest(clients, topics.segmentations(), study, READ_TIMEOUT, err);
    if (result == null) {
      err.println(
          "spineflow: export: no result for study "
              + study
              + " on "
              + topics.segmentations().name());
      return 1;
    }
    Files.createDirectories(out);
    // Where results wrote them (the same directory as ingest's claims unless set apart).
    try (BlobStore blobs = BlobStores.open(settings, ResultsConfig.outputDir(settings))) {
      write(result, blobs, targets);
    } catch (BlobStoreException e) {
      err.println("spineflow: export: " + study + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private List<Path> targets() {
    return List.of(
        out.resolve(study + "-labels.mha"),
        out.resolve(study + "-seg.dcm"),
        out.resolve(study + "-levels.csv"),
        out.resolve(study + "-result.json"),
        out.resolve(study + "-sr.dcm"));
  }

  private void write(Segmentation result, BlobStore blobs, List<Path> targets) throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    fetch(blobs, result.getLabelVolume(), targets.get(0));
    stdout.println("wrote " + targets.get(0));
    optional(
        blobs,
        result.getDicomSegmentation() == null ? null : result.getDicomSegmentation().getFile(),
        targets.get(1),
        "DICOM Segmentation",
        result.getDicomSegmentationSkipped());
    optional(
        blobs,
        result.getMeasurementReport() == null ? null : result.getMeasurementReport().getFile(),
        targets.get(4),
        "measurement report",
        result.getMeasurementReportSkipped());
    Files.writeString(targets.get(2), levelsCsv(result.getLevels()), StandardCharsets.UTF_8);
    stdout.println("wrote " + targets.get(2));
    Files.write(targets.get(3), JSON.writeValueAsBytes(AvroTree.of(result)));
    stdout.println("wrote " + targets.get(3));
  }

  /**
   * Writes an output the result may lack ({@code file} null): then an older export's file is
   * removed (it is not this result's) and why there is none is printed.
   */
  private void optional(
      BlobStore blobs, StoredOutput file, Path target, String what, String skipped)
      throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (file != null) {
      fetch(blobs, file, target);
      stdout.println("wrote " + target);
    } else {
      Files.deleteIfExists(target);
      stdout.println("no " + what + ": " + (skipped == null ? "none was written" : skipped));
    }
  }

  /** Streams the blob into a temporary file beside {@code target}, then moves it into place. */
  private static void fetch(BlobStore blobs, StoredOutput file, Path target) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try (InputStream in = blobs.open(BlobRef.parse(file.getBlob()))) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The levels as {@code ./spineflow measure} writes them ({@link LevelReport#toCsv(List)}); the
   * event has no {@code position_mm}, so that column is empty.
   */
  static String levelsCsv(List<LevelResult> levels) {
    List<LevelMeasurement> rows = new ArrayList<>(levels.size());
    for (LevelResult l : levels) {
      rows.add(
          new LevelMeasurement(
              l.getOrder(),
              l.getName(),
              LevelMeasurement.Kind.valueOf(l.getKind().toUpperCase(Locale.ROOT)),
              l.getFound(),
              l.getSliceIndex(),
              null,
              l.getAnteriorMm(),
              l.getMiddleMm(),
              l.getPosteriorMm(),
              l.getCanalApMm(),
              l.getFlags()));
    }
    return LevelReport.toCsv(rows);
  }

  /** {@code ingest.claims.dir}, the file blob store's directory, under {@code data.dir}. */
  /**
   * The last result of {@code study} on {@code topic} up to the end offsets it had when asked
   * (committed records only), or null. A record that cannot be decoded is named on {@code err} and
   * passed over.
   */
  static Segmentation latest(
      KafkaClients clients,
      Topic<String, Segmentation> topic,
      String study,
      Duration timeout,
      PrintWriter err) {
    List<ConsumerRecord<String, byte[]>> matches = new ArrayList<>();
    TopicScan.toCurrentEnd(
        clients.consumer("spineflow-export", "spineflow-export"),
        topic.name(),
        timeout,
        timeout,
        r -> {
          if (study.equals(r.key())) {
            matches.add(r);
          }
        });
    EventDecoder<Segmentation> decoder = new EventDecoder<>(topic);
    for (int i = matches.size() - 1; i >= 0; i--) {
      try {
        return decoder.decode(matches.get(i));
      } catch (PoisonException e) {
        ConsumerRecord<String, byte[]> r = matches.get(i);
        err.println(
            "spineflow: export: skipping "
                + r.topic()
                + "-"
                + r.partition()
                + "@"
                + r.offset()
                + ": "
                + LogSafe.text(e.getMessage()));
      }
    }
    return null;
  }
}
