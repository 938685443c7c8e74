package io.spineflow.ingest;

import io.spineflow.events.DeadLetter;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelDeclarationFiles;
import io.spineflow.imaging.metaimage.DataFileResolver;
import io.spineflow.imaging.metaimage.MetaImage;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageHeader;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.metaimage.ReasonCode;
import io.spineflow.platform.LogSafe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched-folder door. Every scan lists the folder (no reliance on inotify, so network mounts
 * work); a study is {@code NAME.mha} or {@code NAME.mhd} (with its data file), with an optional
 * {@code NAME.mask.mha}/{@code .mhd} and an optional label declaration, the sidecar {@code
 * NAME.labels} or a row of the folder's {@code manifest.tsv}. Files are taken once stable (size and
 * modification time equal in two consecutive scans); dotfiles, {@code *.part} and {@code *.tmp} are
 * ignored. The study UID is {@code NAME}, the sequence its SPIDER suffix ({@code _t1}, {@code _t2},
 * {@code _t2_SPACE}).
 *
 * <p>A valid study is sent to {@code studies.upload} and its files move to {@code done/}; a
 * rejected one is dead-lettered and its files move to {@code failed/} beside {@code
 * NAME.reason.txt}. When Kafka does not acknowledge, the files stay and the next scan retries. A
 * detached data file missing (or a mask without its image) is waited for up to the pairing timeout,
 * then rejected.
 */
final class FolderWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
  static final String DONE = "done";
  static final String FAILED = "failed";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

  private final Path inbox;
  private final Duration interval;
  private final Duration waitLimit;
  private final StudyValidator validator;
  private final MetaImageReader reader;
  private final UploadPublisher publisher;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final DicomIntakeSink dicom;

  private Map<Path, FileState> previous = new HashMap<>();
  private final Map<String, Long> waitingSince = new HashMap<>();
  private volatile ScheduledExecutorService executor;
  private volatile ScheduledFuture<?> task;

  private record FileState(long size, long modified) {}

  /** The files of one study: its header, mask header and their data files. */
  private record StudyFiles(String name, Path image, Path mask, List<Path> all) {}

  FolderWatcher(
      Path inbox,
      Duration interval,
      Duration waitLimit,
      StudyValidator validator,
      UploadPublisher publisher,
      IngestMetrics metrics,
      Clock clock) {
    this(inbox, interval, waitLimit, validator, publisher, metrics, clock, null);
  }

  /**
   * @param dicom where DICOM files of the folder go; null leaves them in the folder
   */
  FolderWatcher(
      Path inbox,
      Duration interval,
      Duration waitLimit,
      StudyValidator validator,
      UploadPublisher publisher,
      IngestMetrics metrics,
      Clock clock,
      DicomIntakeSink dicom) {
    this.dicom = dicom;
    this.inbox = inbox.toAbsolutePath().normalize();
    this.interval = interval;
    this.waitLimit = waitLimit;
    this.validator = validator;
    this.reader = validator.reader();
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  Path inbox() {
    return inbox;
  }

  /** Scans every interval on a thread of its own; done/ and failed/ are created when needed. */
  synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ingest-folder");
              t.setDaemon(true);
              return t;
            });
    task =
        executor.scheduleWithFixedDelay(
            this::scanSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("watching {} every {} ms", inbox, interval.toMillis());
  }

  /** True while the scanning thread runs. */
  boolean alive() {
    return task != null && !task.isDone();
  }

  private void scanSafely() {
    try {
      scan();
    } catch (IOException | RuntimeException e) {
      // One bad scan (folder unmounted, permissions) must not end the watcher.
      LOG.warn("scan of {} failed: {}", inbox, LogSafe.text(e.toString()));
    }
  }

  /** One scan: takes every study whose files have been stable since the previous scan. */
  synchronized void scan() throws IOException {
    Map<Path, FileState> current = list();
    Set<Path> stable = new HashSet<>();
    current.forEach(
        (path, state) -> {
          if (state.equals(previous.get(path))) {
            stable.add(path);
          }
        });
    previous = new HashMap<>(current);
    Set<String> images = new HashSet<>();
    for (Path path : current.keySet()) {
      String file = path.getFileName().toString();
      if (isHeader(file) && !isMask(file)) {
        images.add(SequenceNames.studyName(file));
      }
    }
    Set<String> present = new HashSet<>(images);
    for (Path path : current.keySet()) {
      String file = path.getFileName().toString();
      if (!stable.contains(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (isMask(file)) {
        String name = maskStudyName(file);
        present.add(name);
        if (!images.contains(name)) {
          orphanMask(name, path);
        }
      } else if (isHeader(file)) {
        String name = SequenceNames.studyName(file);
        takeStudy(name, path, maskOf(name, current), stable, current);
      } else if (dicom != null && DicomFiles.isDicom(path)) {
        takeDicom(path);
      }
    }
    waitingSince.keySet().retainAll(present);
  }

  private void takeStudy(
      String name, Path image, Path mask, Set<Path> stable, Map<Path, FileState> current)
      throws IOException {
    if (mask != null && !stable.contains(mask)) {
      return;
    }
    Path sidecar = LabelDeclarationFiles.sidecarOf(image);
    Path manifest = inbox.resolve(LabelDeclarationFiles.MANIFEST);
    if ((current.containsKey(sidecar) && !stable.contains(sidecar))
        || (current.containsKey(manifest) && !stable.contains(manifest))) {
      return; // the declaration is still being written
    }
    List<Path> all = new ArrayList<>();
    all.add(image);
    if (mask != null) {
      all.add(mask);
    }
    if (current.containsKey(sidecar)) {
      all.add(sidecar); // travels with its study to done/ or failed/; the manifest stays
    }
    StudyFiles files = new StudyFiles(name, image, mask, all);
    for (Path header : List.copyOf(all)) {
      UploadPart part = header.equals(mask) ? UploadPart.MASK : UploadPart.IMAGE;
      try {
        Path data = dataFileOf(header);
        if (data != null) {
          if (current.containsKey(data) && !stable.contains(data)) {
            return; // still being written
          }
          all.add(data);
        }
      } catch (MetaImageException e) {
        if (e.reason() == ReasonCode.DATA_FILE_NOT_FOUND && !waitedLongEnough(name)) {
          return; // the data file may still come
        }
        reject(files, StudyValidator.rejectionOf(e, part, reader.limits()));
        return;
      }
    }
    byte[] imageBytes;
    byte[] maskBytes;
    ValidatedStudy study;
    LabelCoverage coverage;
    String uid;
    try {
      uid = StudyUids.require(name, "file name");
      imageBytes = mhaBytes(image, UploadPart.IMAGE);
      maskBytes = mask == null ? null : mhaBytes(mask, UploadPart.MASK);
      metrics.receivedBytes(
          IngestMetrics.FOLDER, imageBytes.length + (maskBytes == null ? 0 : maskBytes.length));
      study = validator.validate(imageBytes, maskBytes);
      coverage = declaration(image, mask != null);
    } catch (IngestRejection e) {
      reject(files, e.rejection());
      return;
    }
    UploadMetadata metadata =
        new UploadMetadata(
            SequenceNames.fromStudyName(name),
            UploadPart.IMAGE,
            false,
            image.getFileName().toString(),
            StudySource.FOLDER,
            null,
            coverage);
    try {
      publisher.publish(uid, metadata, imageBytes, maskBytes);
    } catch (PublishException e) {
      LOG.warn(
          "study {}: not published, will retry: {}", LogSafe.id(uid), LogSafe.text(e.getMessage()));
      return;
    }
    Path moved = move(files, inbox.resolve(DONE), null);
    LOG.info(
        "study {}: taken from the folder (sha256 {}), files in {}",
        LogSafe.id(uid),
        study.contentSha256().substring(0, 12),
        moved);
  }

  /**
   * One DICOM instance file: handed to the {@link DicomIntake} (which publishes it or dead-letters
   * it); then moved to {@code done/} or, refused, to {@code failed/} beside {@code
   * FILE.reason.txt}. When Kafka does not take it, the file stays for the next scan.
   */
  private void takeDicom(Path file) throws IOException {
    String name = file.getFileName().toString();
    StudyFiles files = new StudyFiles(name, file, null, new ArrayList<>(List.of(file)));
    Path failed = targetDir(files, inbox.resolve(FAILED));
    byte[] bytes;
    try {
      bytes = DicomFiles.read(file);
    } catch (IOException e) {
      LOG.warn(
          "DICOM file {} not read, will retry: {}", LogSafe.id(name), LogSafe.text(e.toString()));
      return;
    }
    DicomInstanceSink.Outcome outcome =
        dicom.store(
            new DicomInstanceSink.ReceivedInstance(
                bytes, DicomInstanceSink.ReceivedInstance.Door.FOLDER, name),
            failed.resolve(name));
    switch (outcome.status()) {
      case ACCEPTED -> {
        Path moved = move(files, inbox.resolve(DONE), null);
        LOG.info("DICOM file {} taken from the folder, now in {}", LogSafe.id(name), moved);
      }
      case REFUSED -> {
        move(files, inbox.resolve(FAILED), failed);
        Rejection r =
            new Rejection(outcome.reasonCode(), outcome.field(), null, outcome.message(), null);
        Files.writeString(failed.resolve(name + ".reason.txt"), r.toText(), StandardCharsets.UTF_8);
      }
      case UNAVAILABLE ->
          LOG.warn(
              "DICOM file {} not taken, will retry: {}",
              LogSafe.id(name),
              LogSafe.text(outcome.message()));
    }
  }

  /**
   * The study's label declaration: its sidecar {@code NAME.labels}, else its row of the folder's
   * {@code manifest.tsv}, else null (a complete label).
   *
   * @throws IngestRejection {@code INVALID_LABEL_DECLARATION} naming the file at fault
   */
  private static LabelCoverage declaration(Path image, boolean hasMask) throws IngestRejection {
    Path sidecar = LabelDeclarationFiles.sidecarOf(image);
    String file =
        Files.isRegularFile(sidecar)
            ? sidecar.getFileName().toString()
            : LabelDeclarationFiles.MANIFEST;
    LabelCoverage coverage;
    try {
      coverage = LabelDeclarationFiles.declarationFor(image).orElse(null);
    } catch (IllegalArgumentException e) {
      throw LabelDeclarations.invalid(
          file,
          "classes: "
              + LabelDeclarations.CLASSES_ACCEPTED
              + "; extent: "
              + LabelDeclarations.EXTENT_ACCEPTED,
          e.getMessage());
    } catch (IOException e) {
      throw LabelDeclarations.invalid(file, "a readable file", "cannot read " + file + ": " + e);
    }
    LabelDeclarations.requireMask(coverage, hasMask, file);
    return coverage;
  }

  private void orphanMask(String name, Path mask) throws IOException {
    if (!waitedLongEnough(name)) {
      return;
    }
    StudyFiles files = new StudyFiles(name, mask, null, new ArrayList<>(List.of(mask)));
    reject(
        files,
        Rejection.of(
                IngestReason.IMAGE_MISSING,
                "file name",
                name + ".mha or " + name + ".mhd beside the mask within " + waitLimit,
                "a mask without its image")
            .forPart(UploadPart.MASK));
    waitingSince.remove(name);
  }

  private boolean waitedLongEnough(String name) {
    long now = clock.millis();
    long since = waitingSince.computeIfAbsent(name, n -> now);
    return now - since >= waitLimit.toMillis();
  }

  /** The {@code .mha} bytes of a header file: as they are, or converted from {@code .mhd}. */
  private byte[] mhaBytes(Path header, UploadPart part) throws IngestRejection {
    try {
      if (header.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mha")) {
        long size = Files.size(header);
        long max = reader.limits().maxInputBytes();
        if (size > max) {
          throw new IngestRejection(
              new Rejection(
                  ReasonCode.INPUT_TOO_LARGE.name(),
                  null,
                  "maxInputBytes " + max,
                  part.wireName() + ": file of " + size + " bytes",
                  part));
        }
        return Files.readAllBytes(header);
      }
      // A detached data file cannot travel on Kafka: the study is sent as an equivalent .mha.
      MetaImage read = reader.read(header);
      return MetaImageWriter.toMhaBytes(
          read.image(),
          read.header().compressed()
              ? MetaImageWriter.Compression.ZLIB
              : MetaImageWriter.Compression.NONE);
    } catch (MetaImageException e) {
      throw new IngestRejection(StudyValidator.rejectionOf(e, part, reader.limits()));
    } catch (IOException e) {
      throw new IngestRejection(
          new Rejection(
              ReasonCode.DATA_FILE_NOT_FOUND.name(),
              null,
              "a readable file",
              part.wireName() + ": cannot read " + header.getFileName() + " (" + e + ")",
              part));
    }
  }

  /** The data file a {@code .mhd} header names, confined to the folder; null for inline data. */
  private Path dataFileOf(Path header) throws IOException {
    if (!header.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mhd")) {
      return null;
    }
    MetaImageHeader parsed = reader.readHeader(header);
    if (parsed.dataIsLocal()) {
      return null;
    }
    return DataFileResolver.confinedTo(inbox).resolve(parsed.elementDataFile());
  }

  private void reject(StudyFiles files, Rejection rejection) throws IOException {
    Path failed = targetDir(files, inbox.resolve(FAILED));
    Path where = failed.resolve(files.image().getFileName());
    if (rejection.part() == UploadPart.MASK && files.mask() != null) {
      where = failed.resolve(files.mask().getFileName());
    }
    String uid = StudyUids.isValid(files.name()) ? files.name() : null;
    DeadLetter letter =
        IngestEvents.deadLetter(uid, rejection, Origin.ofPath(where), clock.millis());
    try {
      publisher.publishDeadLetter(uid == null ? files.name() : uid, letter);
    } catch (PublishException e) {
      LOG.warn(
          "study {}: rejection not dead-lettered, will retry: {}",
          LogSafe.id(uid == null ? files.name() : uid),
          LogSafe.text(e.getMessage()));
      return;
    }
    move(files, inbox.resolve(FAILED), failed);
    Files.writeString(
        failed.resolve(files.name() + ".reason.txt"), rejection.toText(), StandardCharsets.UTF_8);
    metrics.rejected(IngestMetrics.FOLDER, rejection.reasonCode());
    LOG.info(
        "study {}: rejected {} (field {}), files in {}",
        LogSafe.id(uid == null ? files.name() : uid),
        rejection.reasonCode(),
        LogSafe.text(rejection.field()),
        failed);
  }

  /**
   * Where a study's files go in {@code base}: {@code base} itself, or a new time-stamped
   * subdirectory when a file of the same name is already there (a re-sent study).
   */
  private Path targetDir(StudyFiles files, Path base) throws IOException {
    boolean clash = Files.exists(base.resolve(files.name() + ".reason.txt"));
    for (Path file : files.all()) {
      clash |= Files.exists(base.resolve(file.getFileName()));
    }
    if (!clash) {
      return base;
    }
    return base.resolve(files.name() + "." + STAMP.format(clock.instant()));
  }

  private Path move(StudyFiles files, Path base, Path chosen) throws IOException {
    Path target = chosen != null ? chosen : targetDir(files, base);
    Files.createDirectories(target);
    for (Path file : files.all()) {
      previous.remove(file); // a file dropped again under this name is new
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return target;
  }

  private Map<Path, FileState> list() throws IOException {
    Map<Path, FileState> files = new TreeMap<>();
    if (!Files.isDirectory(inbox)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
      for (Path path : entries) {
        String name = path.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.startsWith(".")
            || lower.endsWith(".part")
            || lower.endsWith(".tmp")
            || lower.endsWith(".reason.txt")) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // vanished between listing and reading
        }
        if (attributes.isRegularFile()) {
          files.put(
              path, new FileState(attributes.size(), attributes.lastModifiedTime().toMillis()));
        }
      }
    }
    return files;
  }

  private static boolean isHeader(String file) {
    String lower = file.toLowerCase(Locale.ROOT);
    return lower.endsWith(".mha") || lower.endsWith(".mhd");
  }

  private static boolean isMask(String file) {
    String lower = file.toLowerCase(Locale.ROOT);
    return lower.endsWith(".mask.mha") || lower.endsWith(".mask.mhd");
  }

  /** {@code NAME.mask.mha} → {@code NAME}. */
  private static String maskStudyName(String file) {
    return file.substring(0, file.length() - ".mask.mha".length());
  }

  private static Path maskOf(String name, Map<Path, FileState> current) {
    for (Path path : current.keySet()) {
      String file = path.getFileName().toString();
      if (isMask(file) && maskStudyName(file).equals(name)) {
        return path;
      }
    }
    return null;
  }

  @Override
  public void close() {
    ScheduledExecutorService executor = this.executor;
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
