package io.spineflow.cli.erasure;

import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.events.ClaimCheck;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.Segmentation;
import io.spineflow.events.Study;
import io.spineflow.events.Volume;
import io.spineflow.ingest.UploadHeaders;
import io.spineflow.platform.AuditPublisher;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.LogSafe;
import io.spineflow.platform.TopicScan;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.BlobStore;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.schemas.Topics;
import io.spineflow.trainer.QualityFloor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an {@link ErasurePlan}: deletes the study's claim-check files and trainer cache,
 * unpins it from the quality floor (the one the live {@code models} announcement carries, and the
 * legacy file), tombstones its keys in compacted topics and store changelogs, reads the retention
 * of the topics that keep it, and records an ERASURE audit event; returns the {@link
 * ErasureReport}. Run it with the services stopped (see {@link #runningServices}): a running Kafka
 * Streams service keeps its local copy of a store until it restores from the changelog.
 */
public final class StudyEraser {
  private static final Logger LOG = LoggerFactory.getLogger(StudyEraser.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** The {@code service} of the audit record. */
  public static final String SERVICE = "forget";

  private final KafkaClients clients;
  private final Admin admin;
  private final Topics topics;
  private final Duration readTimeout;
  private final Clock clock;
  private final List<BlobStore> remoteClaims;

  /**
   * @param readTimeout the longest one topic may take to be read to its end
   */
  public StudyEraser(
      KafkaClients clients, Admin admin, Topics topics, Duration readTimeout, Clock clock) {
    this(clients, admin, topics, readTimeout, clock, List.of());
  }

  /**
   * @param remoteClaims blob stores beyond the plan's claim-check directories that hold claim
   *     checks (the S3 bucket of {@code blobstore.type=s3}); not closed here
   */
  public StudyEraser(
      KafkaClients clients,
      Admin admin,
      Topics topics,
      Duration readTimeout,
      Clock clock,
      List<BlobStore> remoteClaims) {
    this.clients = clients;
    this.admin = admin;
    this.topics = topics;
    this.readTimeout = readTimeout;
    this.clock = clock;
    this.remoteClaims = List.copyOf(remoteClaims);
  }

  /**
   * Erases the study of {@code plan}.
   *
   * @param actor who asked (recorded on {@code audit})
   * @param warnings what the report must tell the operator besides (e.g. running services)
   */
  public ErasureReport erase(ErasurePlan plan, String actor, List<String> warnings)
      throws IOException {
    Instant now = clock.instant();
    LOG.info("erasing study {}", LogSafe.id(plan.studyUid()));
    Set<String> existing = existingTopics();

    ClaimFiles claims = deleteClaimFiles(plan, claimUris(plan, existing), remoteClaims);
    int cached = deleteTree(plan.trainerCacheDir());
    ErasureReport.Floor legacy = unpin(plan.qualityFloor(), plan.studyUid(), now);
    ErasureReport.Floor announced =
        existing.contains(plan.modelsTopic())
            ? unpinAnnounced(plan, now)
            : new ErasureReport.Floor(ErasureReport.FloorOutcome.NO_FLOOR, 0);
    // The announced floor is the one in force; the file only counts where no announcement has one.
    ErasureReport.Floor floor =
        announced.outcome() == ErasureReport.FloorOutcome.NO_FLOOR ? legacy : announced;
    List<ErasureReport.Tombstoned> tombstones = new ArrayList<>();
    for (ErasurePlan.Place place : plan.tombstoned()) {
      boolean present = existing.contains(place.topic());
      int keys = present ? tombstone(plan, place) : 0;
      tombstones.add(new ErasureReport.Tombstoned(place.topic(), place.what(), present, keys));
    }
    int lineage = existing.contains(plan.modelsTopic()) ? lineageVersions(plan) : 0;
    List<ErasureReport.Retained> retained = retention(plan.retained(), existing);

    Map<String, String> details = new LinkedHashMap<>();
    details.put("claimFiles", Integer.toString(claims.deleted()));
    details.put("cachedFiles", Integer.toString(cached));
    details.put("qualityFloor", floor.outcome().name());
    details.put("tombstones", Integer.toString(tombstones.stream().mapToInt(t -> t.keys()).sum()));
    details.put("lineageVersions", Integer.toString(lineage));
    details.put(
        "retainedIn",
        String.join(",", retained.stream().map(ErasureReport.Retained::topic).toList()));
    AuditEvent event = audit(actor, subjectOf(plan.studyUid()), details);
    LOG.info(
        "erased study {}: {} claim files, {} cached files, {} tombstones",
        LogSafe.id(plan.studyUid()),
        claims.deleted(),
        cached,
        details.get("tombstones"));
    return new ErasureReport(
        LogSafe.id(plan.studyUid()),
        claims.deleted(),
        claims.refused(),
        cached,
        floor,
        tombstones,
        lineage,
        retained,
        warnings,
        event.getAuditId(),
        now);
  }

  /**
   * The audit record's subject: {@code sha256:} + the hex SHA-256 of the UID. The audit trail is
   * kept forever, so the erasure record does not add the UID to it; an auditor who knows the UID
   * finds the record with {@code printf %s UID | sha256sum}.
   */
  public static String subjectOf(String studyUid) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(studyUid.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * Which of the services holding the study's state are running now (their consumer group has
   * members), each with what to do: erasure works on the broker and on disk, and a running
   * service's memory or local store keeps the study until it restarts.
   *
   * @param groups consumer group (Streams application id) → what the operator must do
   */
  public List<String> runningServices(Map<String, String> groups) {
    List<String> warnings = new ArrayList<>();
    Map<String, org.apache.kafka.common.KafkaFuture<ConsumerGroupDescription>> described =
        admin.describeConsumerGroups(groups.keySet()).describedGroups();
    groups.forEach(
        (group, advice) -> {
          try {
            ConsumerGroupDescription d =
                described.get(group).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!d.members().isEmpty()) {
              warnings.add(advice);
            }
          } catch (ExecutionException e) {
            // A group that never existed (the service never ran here) is not running.
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
              warnings.add("could not tell whether it runs (" + e.getCause() + "): " + advice);
            }
          } catch (TimeoutException e) {
            warnings.add("could not tell whether it runs (timed out): " + advice);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        });
    return warnings;
  }

  /** Claim-check files deleted and URIs refused. */
  record ClaimFiles(int deleted, int refused) {}

  /**
   * Deletes the files of {@code uris} that lie in one of the plan's claim-check stores. A URI
   * elsewhere is refused: a record's content must never make this delete an arbitrary file.
   */
  static ClaimFiles deleteClaimFiles(ErasurePlan plan, Collection<String> uris) throws IOException {
    return deleteClaimFiles(plan, uris, List.of());
  }

  /**
   * Deletes the claim checks {@code uris} name: a {@code sha256:} reference from every claim-check
   * directory of the plan and from {@code remote} (a reference names content, never a place, so it
   * cannot point outside a store); a {@code file:} URI of before the blob store only when it lies
   * in one of the plan's directories. Anything else is refused.
   */
  static ClaimFiles deleteClaimFiles(
      ErasurePlan plan, Collection<String> uris, List<BlobStore> remote) throws IOException {
    int deleted = 0;
    int refused = 0;
    for (String uri : new LinkedHashSet<>(uris)) {
      if (BlobRef.isRef(uri)) {
        Optional<Boolean> erased = deleteBlob(plan, uri, remote);
        if (erased.isEmpty()) {
          refused++;
        } else if (erased.get()) {
          deleted++;
        }
        continue;
      }
      Path path;
      try {
        URI parsed = URI.create(uri);
        if (!"file".equalsIgnoreCase(parsed.getScheme())) {
          refused++;
          continue;
        }
        path = Path.of(parsed).toAbsolutePath().normalize();
      } catch (IllegalArgumentException e) {
        refused++;
        continue;
      }
      Path file = path;
      if (plan.claimDirs().stream().noneMatch(dir -> file.startsWith(dir.toAbsolutePath()))) {
        refused++;
      } else if (Files.deleteIfExists(file)) {
        deleted++;
      }
    }
    return new ClaimFiles(deleted, refused);
  }

  /** Whether a blob of {@code uri} was deleted; empty when it is no valid reference. */
  private static Optional<Boolean> deleteBlob(
      ErasurePlan plan, String uri, List<BlobStore> remote) {
    BlobRef ref;
    try {
      ref = BlobRef.parse(uri);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean any = false;
    for (Path dir : plan.claimDirs()) {
      // The size limit only bounds reads; a delete never reads.
      any |= new FileBlobStore(dir, 1).delete(ref);
    }
    for (BlobStore store : remote) {
      any |= store.delete(ref);
    }
    return Optional.of(any);
  }

  /** Deletes a directory tree; returns how many regular files it held (0 if it did not exist). */
  static int deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    int files = 0;
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (Files.isRegularFile(p)) {
        files++;
      }
      Files.deleteIfExists(p);
    }
    return files;
  }

  /**
   * Removes {@code uid} from the floor's reference set. The floor's figures stay: they were reached
   * on a set including the study, and a floor only rises, so keeping them is the conservative
   * choice; later candidates are scored on the remaining studies. When the study was the only
   * reference, no floor can stand: it is deleted and the next promotion pins a new reference set.
   */
  static ErasureReport.Floor unpin(Path file, String uid, Instant now) throws IOException {
    Optional<QualityFloor> read = QualityFloor.read(file);
    if (read.isEmpty()) {
      return new ErasureReport.Floor(ErasureReport.FloorOutcome.NO_FLOOR, 0);
    }
    QualityFloor floor = read.get();
    if (!floor.referenceStudies().contains(uid)) {
      return new ErasureReport.Floor(
          ErasureReport.FloorOutcome.NOT_PINNED, floor.referenceStudies().size());
    }
    Optional<QualityFloor> rest = floor.unpin(uid, now);
    if (rest.isEmpty()) {
      Files.delete(file);
      return new ErasureReport.Floor(ErasureReport.FloorOutcome.DELETED, 0);
    }
    rest.get().write(file);
    return new ErasureReport.Floor(
        ErasureReport.FloorOutcome.UNPINNED, rest.get().referenceStudies().size());
  }

  /**
   * Unpins {@code uid} from the quality floor each model's live announcement carries (the floor
   * travels with the model; the file is only the legacy copy): the live announcement is sent again
   * unchanged but for its floor (without the study, or none when it was the only reference). The
   * version and its files are the same, so inference keeps serving it; the dashboard's timeline
   * shows the announcement once more.
   *
   * @return what became of the announced floors (the last model's, with one model per trainer)
   */
  private ErasureReport.Floor unpinAnnounced(ErasurePlan plan, Instant now) {
    Map<String, ModelAnnouncement> live = new LinkedHashMap<>();
    scan(
        plan.modelsTopic(),
        r -> {
          if (r.value() == null) {
            live.remove(r.key());
          } else {
            ModelAnnouncement a = decode(r, topics.models().valueSerde()::deserializer);
            if (a != null && r.key() != null) {
              live.put(r.key(), a);
            }
          }
        });
    ErasureReport.Floor outcome = new ErasureReport.Floor(ErasureReport.FloorOutcome.NO_FLOOR, 0);
    List<ModelAnnouncement> changed = new ArrayList<>();
    for (ModelAnnouncement a : live.values()) {
      Optional<QualityFloor> floor;
      try {
        floor = QualityFloor.of(a);
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "the floor of {} v{} is not valid, left: {}",
            a.getModelName(),
            a.getVersion(),
            e.getMessage());
        continue;
      }
      if (floor.isEmpty()) {
        continue;
      }
      if (!floor.get().referenceStudies().contains(plan.studyUid())) {
        outcome =
            new ErasureReport.Floor(
                ErasureReport.FloorOutcome.NOT_PINNED, floor.get().referenceStudies().size());
        continue;
      }
      Optional<QualityFloor> rest = floor.get().unpin(plan.studyUid(), now);
      changed.add(
          ModelAnnouncement.newBuilder(a)
              .setQualityFloor(rest.map(QualityFloor::toEvent).orElse(null))
              .build());
      outcome =
          rest.map(
                  f ->
                      new ErasureReport.Floor(
                          ErasureReport.FloorOutcome.UNPINNED, f.referenceStudies().size()))
              .orElse(new ErasureReport.Floor(ErasureReport.FloorOutcome.DELETED, 0));
    }
    if (!changed.isEmpty()) {
      reannounce(plan.modelsTopic(), changed);
    }
    return outcome;
  }

  /** Sends {@code announcements} (key: model name) and waits for the broker's acknowledgement. */
  private void reannounce(String topic, List<ModelAnnouncement> announcements) {
    try (KafkaProducer<String, ModelAnnouncement> producer =
        new KafkaProducer<>(
            clients.producer(
                topics.prefix() + "spineflow-forget-models",
                null,
                topics.models().settings().maxMessageBytes()),
            new StringSerializer(),
            topics.models().valueSerde().serializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ModelAnnouncement a : announcements) {
        sent.add(producer.send(new ProducerRecord<>(topic, a.getModelName(), a)));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "the unpinned quality floor on " + topic + " was not acknowledged: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Set<String> existingTopics() {
    try {
      return admin.listTopics().names().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The claim-check URIs the study's uploads and studies events name. */
  private List<String> claimUris(ErasurePlan plan, Set<String> existing) {
    List<String> uris = new ArrayList<>();
    String upload = topics.studiesUpload().name();
    if (existing.contains(upload)) {
      scan(
          upload,
          r -> {
            if (plan.matches(ErasurePlan.Keying.STUDY, r.key())) {
              Header h = r.headers().lastHeader(UploadHeaders.CLAIM_URI);
              if (h != null) {
                uris.add(new String(h.value(), StandardCharsets.UTF_8));
              }
            }
          });
    }
    String studies = topics.studies().name();
    if (existing.contains(studies)) {
      scan(
          studies,
          r -> {
            if (r.value() != null && plan.matches(ErasurePlan.Keying.STUDY, r.key())) {
              Study study = decode(r, topics.studies().valueSerde()::deserializer);
              if (study != null) {
                claimUri(study.getImage()).ifPresent(uris::add);
                claimUri(study.getLabel()).ifPresent(uris::add);
                // The patient and study attributes a DICOM study's results are written with.
                if (study.getDicomSource() != null) {
                  uris.add(study.getDicomSource().getPatientAndStudy().getUri());
                }
              }
            }
          });
    }
    String segmentations = topics.segmentations().name();
    if (existing.contains(segmentations)) {
      // The study's results: its label volume, its DICOM Segmentation and measurement report (which
      // name the patient).
      scan(
          segmentations,
          r -> {
            if (r.value() != null && plan.matches(ErasurePlan.Keying.STUDY, r.key())) {
              Segmentation result = decode(r, topics.segmentations().valueSerde()::deserializer);
              if (result != null) {
                uris.add(result.getLabelVolume().getBlob());
                if (result.getDicomSegmentation() != null) {
                  uris.add(result.getDicomSegmentation().getFile().getBlob());
                }
                if (result.getMeasurementReport() != null) {
                  uris.add(result.getMeasurementReport().getFile().getBlob());
                }
              }
            }
          });
    }
    return uris;
  }

  private static Optional<String> claimUri(Volume volume) {
    return volume != null && volume.getVoxels() instanceof ClaimCheck check
        ? Optional.of(check.getUri())
        : Optional.empty();
  }

  /** Tombstones every key of the study whose latest record in {@code place} is a value. */
  private int tombstone(ErasurePlan plan, ErasurePlan.Place place) {
    Map<String, Integer> live = new HashMap<>(); // key → partition of its latest value
    scan(
        place.topic(),
        r -> {
          if (plan.matches(place.keying(), r.key())) {
            if (r.value() == null) {
              live.remove(r.key());
            } else {
              live.put(r.key(), r.partition());
            }
          }
        });
    if (live.isEmpty()) {
      return 0;
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            clients.producer(topics.prefix() + "spineflow-forget", null, 1 << 20),
            new StringSerializer(),
            new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      // Same partition as the value: a changelog partition is a Streams task's store.
      live.forEach(
          (key, partition) ->
              sent.add(producer.send(new ProducerRecord<>(place.topic(), partition, key, null))));
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "tombstones on " + place.topic() + " not acknowledged: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return live.size();
  }

  /** Model announcements whose lineage lists the study. */
  private int lineageVersions(ErasurePlan plan) {
    int[] count = {0};
    scan(
        plan.modelsTopic(),
        r -> {
          if (r.value() != null) {
            ModelAnnouncement a = decode(r, topics.models().valueSerde()::deserializer);
            if (a != null
                && (a.getLineage().getTrainingStudies().contains(plan.studyUid())
                    || a.getLineage().getValidationStudies().contains(plan.studyUid()))) {
              count[0]++;
            }
          }
        });
    return count[0];
  }

  /** Each retained topic's retention and cleanup policy, read from the broker. */
  private List<ErasureReport.Retained> retention(
      List<ErasurePlan.Place> places, Set<String> existing) {
    List<ConfigResource> resources =
        places.stream()
            .filter(p -> existing.contains(p.topic()))
            .map(p -> new ConfigResource(ConfigResource.Type.TOPIC, p.topic()))
            .toList();
    Map<ConfigResource, Config> configs;
    try {
      configs =
          admin.describeConfigs(resources).all().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the topics' retention: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    List<ErasureReport.Retained> out = new ArrayList<>();
    for (ErasurePlan.Place p : places) {
      Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, p.topic()));
      if (c == null) {
        continue; // never created: holds nothing
      }
      long ms = Long.parseLong(c.get("retention.ms").value());
      out.add(
          new ErasureReport.Retained(
              p.topic(),
              p.keying(),
              ms < 0 ? null : Duration.ofMillis(ms),
              c.get("cleanup.policy").value()));
    }
    return out;
  }

  private AuditEvent audit(String actor, String subject, Map<String, String> details) {
    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                clients.producer(
                    topics.prefix() + "spineflow-forget-audit",
                    null,
                    topics.audit().settings().maxMessageBytes()),
                new StringSerializer(),
                new ByteArraySerializer());
        AuditPublisher audit = new AuditPublisher(producer, topics, SERVICE)) {
      return audit.publish(
          AuditAction.ERASURE, AuditOutcome.ACCEPTED, actor, null, subject, details);
    }
  }

  private static <T> T decode(
      ConsumerRecord<String, byte[]> r,
      java.util.function.Supplier<org.apache.kafka.common.serialization.Deserializer<T>> d) {
    try {
      return d.get().deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "{} partition {} offset {}: undecodable, skipped: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          LogSafe.text(e.getMessage()));
      return null;
    }
  }

  /** Reads {@code topic} from its beginning to its current end (committed records only). */
  private void scan(String topic, Consumer<ConsumerRecord<String, byte[]>> visitor) {
    Map<String, Object> props =
        clients.consumer(topics.prefix() + "spineflow-forget", "spineflow-forget");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 << 20);
    TopicScan.toCurrentEnd(props, topic, ACK_TIMEOUT, readTimeout, visitor);
  }
}
