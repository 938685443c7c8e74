package io.spineflow.ingest;

import io.spineflow.events.Sequence;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelDeclarationFiles;
import io.spineflow.imaging.metaimage.MetaImage;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.platform.KafkaClients;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends study files to {@code studies.upload} exactly as an outside client (a PACS bridge) would,
 * following the wire contract: what {@code ./spineflow push FILE...} does. For each {@code
 * NAME.mha} (or {@code NAME.mhd}, sent as the equivalent {@code .mha}): key {@code NAME}, sequence
 * from its SPIDER suffix, and {@code NAME.mask.mha}/{@code .mhd} beside it, if present, as the mask
 * part; the label declaration of its sidecar {@code NAME.labels} or {@code manifest.tsv} row as the
 * {@code spineflow.label-*} headers. A folder (or DICOM files) is sent as {@code storescu} would:
 * every DICOM instance in it, one record each, keyed by its Series Instance UID; ingest assembles
 * the series. The files are not validated here: the ingest service does that (and dead-letters what
 * it refuses).
 */
public final class StudyPusher implements AutoCloseable {
  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final Producer<String, byte[]> producer;
  private final Topics topics;
  private final MetaImageReader reader = new MetaImageReader();
  private final io.spineflow.imaging.dicom.DicomReader dicomReader =
      new io.spineflow.imaging.dicom.DicomReader();

  /**
   * One sent study.
   *
   * @param image the image file; for a DICOM series, its last instance sent
   * @param mask null when the study has no mask
   * @param contentSha256 the study's content hash; null for a DICOM series (ingest computes its
   *     revision from the instances)
   * @param partition the partition of {@code studies.upload} it went to
   * @param offset the offset of its image record
   * @param labelCoverage the label declaration sent, or null when none was
   */
  public record Pushed(
      String studyUid,
      Path image,
      Path mask,
      Sequence sequence,
      String contentSha256,
      int partition,
      long offset,
      LabelCoverage labelCoverage) {}

  /** A pusher with its own idempotent producer (acks=all). */
  public StudyPusher(KafkaClients clients, Topics topics) {
    this(
        new KafkaProducer<>(
            clients.producer("spineflow-push", null, IngestTopology.MAX_RECORD_BYTES),
            new StringSerializer(),
            new ByteArraySerializer()),
        topics);
  }

  StudyPusher(Producer<String, byte[]> producer, Topics topics) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topics = Objects.requireNonNull(topics, "topics");
  }

  /**
   * Sends every study among {@code files}, in order, each acknowledged before the next. A mask
   * listed beside its image is sent with it.
   *
   * @throws IllegalArgumentException before anything is sent, when a file is not a MetaImage
   *     header, is a mask without its image, has a name that is not a valid study UID, or is larger
   *     than a {@code studies.upload} record may be
   * @throws IOException when a file cannot be read or Kafka does not acknowledge
   */
  public List<Pushed> push(List<Path> files) throws IOException {
    return push(files, null, null);
  }

  /**
   * As {@link #push(List)}, with label declarations: each study's sidecar {@code NAME.labels} or
   * {@code manifest.tsv} row ({@link LabelDeclarationFiles}), where one is present, with {@code
   * labelClasses} and {@code labelExtent} overriding its classes and extent (for every study).
   *
   * @param labelClasses {@code --label-classes}, e.g. {@code discs}; null to keep the files'
   * @param labelExtent {@code --label-extent}, e.g. {@code labelled-span+10mm}; null to keep the
   *     files'
   * @throws IllegalArgumentException also, before anything is sent, for a declaration that cannot
   *     be read or one for a study without a mask
   */
  public List<Pushed> push(List<Path> files, String labelClasses, String labelExtent)
      throws IOException {
    List<Path> dicomFiles = new ArrayList<>();
    List<Path> studyFiles = new ArrayList<>();
    for (Path file : files) {
      if (Files.isDirectory(file)) {
        dicomFiles.addAll(dicomFilesIn(file));
      } else if (DicomFiles.isDicom(file)) {
        dicomFiles.add(file);
      } else {
        studyFiles.add(file);
      }
    }
    List<Pushed> pushed = new ArrayList<>(pushStudies(studyFiles, labelClasses, labelExtent));
    if (!dicomFiles.isEmpty()) {
      if (labelClasses != null || labelExtent != null) {
        throw new IllegalArgumentException(
            "--label-classes and --label-extent describe MetaImage masks, not DICOM series");
      }
      pushed.addAll(pushDicom(dicomFiles));
    }
    return pushed;
  }

  /**
   * Every DICOM file under {@code dir} (recursively, as {@code storescu +sd +r}), in name order.
   */
  private static List<Path> dicomFilesIn(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      List<Path> found =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(DicomFiles::isDicom)
              .sorted()
              .toList();
      if (found.isEmpty()) {
        throw new IllegalArgumentException(dir + ": no DICOM file in this folder");
      }
      return found;
    }
  }

  /**
   * Sends DICOM instances as a C-STORE client would, one record each (key: its Series Instance UID,
   * a Segmentation's the series it labels; {@code spineflow.format=dicom}), and returns one {@link
   * Pushed} per series (its last record). An instance whose series cannot be read is sent under a
   * key derived from its content, so ingest dead-letters it with the reader's reason.
   */
  private List<Pushed> pushDicom(List<Path> files) throws IOException {
    Map<String, Pushed> bySeries = new LinkedHashMap<>();
    for (Path file : files) {
      byte[] bytes = DicomFiles.read(file);
      String series = seriesOf(bytes);
      String key = series != null ? series : StudyUids.derive(ContentHash.of(bytes, null));
      org.apache.kafka.common.header.Headers headers =
          new UploadMetadata(
                  Sequence.UNKNOWN,
                  UploadPart.IMAGE,
                  false,
                  file.getFileName().toString(),
                  io.spineflow.events.StudySource.DICOM,
                  null)
              .toHeaders();
      headers.add(
          UploadHeaders.FORMAT,
          UploadHeaders.FORMAT_DICOM.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      RecordMetadata ack =
          await(
              producer.send(
                  new ProducerRecord<>(topics.studiesUpload().name(), null, key, bytes, headers)),
              key);
      bySeries.put(
          key,
          new Pushed(key, file, null, Sequence.UNKNOWN, null, ack.partition(), ack.offset(), null));
    }
    return List.copyOf(bySeries.values());
  }

  private String seriesOf(byte[] bytes) {
    try {
      // A Segmentation goes under the series it labels, as every DICOM door sends it.
      return DicomInstances.seriesKeyOf(dicomReader.readFile(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private List<Pushed> pushStudies(List<Path> files, String labelClasses, String labelExtent)
      throws IOException {
    Set<Path> listed = new HashSet<>();
    for (Path file : files) {
      listed.add(file.toAbsolutePath().normalize());
    }
    List<Path> images = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.endsWith(".mha") && !lower.endsWith(".mhd")) {
        throw new IllegalArgumentException(file + ": not a .mha or .mhd file");
      }
      if (lower.endsWith(".mask.mha") || lower.endsWith(".mask.mhd")) {
        String stem = name.substring(0, name.length() - ".mask.mha".length());
        if (imageOf(file, stem) == null || !listed.contains(imageOf(file, stem))) {
          throw new IllegalArgumentException(
              file + ": a mask is sent with its image; push " + stem + ".mha instead");
        }
        continue;
      }
      String uid = SequenceNames.studyName(name);
      if (!StudyUids.isValid(uid)) {
        throw new IllegalArgumentException(
            file + ": '" + uid + "' is not a valid study UID (" + StudyUids.CONTRACT + ")");
      }
      images.add(file);
    }
    Map<Path, LabelCoverage> declarations = new LinkedHashMap<>();
    for (Path image : images) {
      declarations.put(image, declaration(image, labelClasses, labelExtent));
    }
    List<Pushed> pushed = new ArrayList<>();
    for (Path image : images) {
      pushed.add(pushStudy(image, declarations.get(image)));
    }
    return pushed;
  }

  /** The declaration of one study: its files', field by field overridden by the options. */
  private static LabelCoverage declaration(Path image, String classes, String extent)
      throws IOException {
    Optional<LabelCoverage> files;
    try {
      files = LabelDeclarationFiles.declarationFor(image);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(image + ": " + e.getMessage(), e);
    }
    String c =
        classes != null ? classes : files.map(LabelCoverage::classesDeclaration).orElse(null);
    String x = extent != null ? extent : files.map(LabelCoverage::extentDeclaration).orElse(null);
    LabelCoverage coverage;
    try {
      coverage = LabelDeclarations.parse(c, x, "--label-classes", "--label-extent");
      LabelDeclarations.requireMask(
          coverage,
          maskOf(image, SequenceNames.studyName(image.getFileName().toString())) != null,
          "--label-classes");
    } catch (IngestRejection e) {
      throw new IllegalArgumentException(image + ": " + e.rejection().message());
    }
    return coverage;
  }

  private Pushed pushStudy(Path image, LabelCoverage coverage) throws IOException {
    String uid = SequenceNames.studyName(image.getFileName().toString());
    Path mask = maskOf(image, uid);
    byte[] imageBytes = mhaBytes(image);
    byte[] maskBytes = mask == null ? null : mhaBytes(mask);
    Sequence sequence = SequenceNames.fromStudyName(uid);
    UploadMetadata metadata =
        UploadMetadata.image(sequence)
            .withSourceName(image.getFileName().toString())
            .withLabelCoverage(coverage);
    Future<RecordMetadata> imageAck =
        send(uid, metadata.withPart(UploadPart.IMAGE, mask != null), imageBytes);
    Future<RecordMetadata> maskAck =
        mask == null
            ? null
            : send(
                uid,
                metadata
                    .withPart(UploadPart.MASK, false)
                    .withSourceName(mask.getFileName().toString()),
                maskBytes);
    RecordMetadata ack = await(imageAck, uid);
    if (maskAck != null) {
      await(maskAck, uid);
    }
    return new Pushed(
        uid,
        image,
        mask,
        sequence,
        ContentHash.of(imageBytes, maskBytes),
        ack.partition(),
        ack.offset(),
        coverage);
  }

  private Future<RecordMetadata> send(String uid, UploadMetadata metadata, byte[] value) {
    return producer.send(
        new ProducerRecord<>(
            topics.studiesUpload().name(), null, uid, value, metadata.toHeaders()));
  }

  private static RecordMetadata await(Future<RecordMetadata> ack, String uid) throws IOException {
    try {
      return ack.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("study " + uid + ": Kafka did not acknowledge: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IOException(
          "study " + uid + ": Kafka did not acknowledge within " + ACK_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("study " + uid + ": interrupted", e);
    }
  }

  private byte[] mhaBytes(Path file) throws IOException {
    byte[] bytes;
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mha")) {
      long size = Files.size(file);
      if (size > IngestConfig.UPLOAD_INLINE_LIMIT) {
        throw new IllegalArgumentException(tooLarge(file, size));
      }
      bytes = Files.readAllBytes(file);
    } else {
      // A detached data file cannot travel on Kafka: send the equivalent .mha.
      MetaImage read = reader.read(file);
      bytes =
          MetaImageWriter.toMhaBytes(
              read.image(),
              read.header().compressed()
                  ? MetaImageWriter.Compression.ZLIB
                  : MetaImageWriter.Compression.NONE);
      if (bytes.length > IngestConfig.UPLOAD_INLINE_LIMIT) {
        throw new IllegalArgumentException(tooLarge(file, bytes.length));
      }
    }
    return bytes;
  }

  private static String tooLarge(Path file, long size) {
    return file
        + ": "
        + size
        + " bytes is more than a studies.upload record carries ("
        + IngestConfig.UPLOAD_INLINE_LIMIT
        + "); use the HTTP door or the watched folder";
  }

  private static Path imageOf(Path mask, String stem) {
    for (String ext : List.of(".mha", ".mhd")) {
      Path candidate = mask.resolveSibling(stem + ext).toAbsolutePath().normalize();
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The mask of {@code image}: {@code NAME.mask.mha} beside it, or, in SPIDER's layout ({@code
   * images/NAME.mha}), {@code masks/NAME.mha}.
   */
  static Path maskOf(Path image, String stem) {
    for (String ext : List.of(".mask.mha", ".mask.mhd")) {
      Path candidate = image.resolveSibling(stem + ext);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    Path parent = image.toAbsolutePath().getParent();
    if (parent != null
        && parent.getFileName() != null
        && parent.getFileName().toString().equals("images")) {
      Path candidate = parent.resolveSibling("masks").resolve(image.getFileName());
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  public void close() {
    producer.close();
  }
}
