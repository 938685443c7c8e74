package io.spineflow.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.ModelQualityFloor;
import io.spineflow.imaging.metrics.SpineClass;
import io.spineflow.model.training.ValidationScores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The least quality a promoted model may have. It travels with the model: every {@code PROMOTED}
 * announcement on the compacted {@code models} topic carries the floor that promotion set or raised
 * ({@code qualityFloor}, {@link #toEvent}), committed in the promotion's transaction, and a {@code
 * ROLLBACK} carries the current one forward; so it outlives the trainer's own state and the active
 * and the standby trainer share it without a shared disk. Announcements from before that field have
 * none: the floor is then the legacy file {@code <model.store>/<model.name>/quality-floor.json}
 * ({@link #file}), which the trainer still writes when the model store has no blob store (see
 * {@link #current}).
 *
 * <p>Without a floor, each promotion may lose up to the gate's margin against the live model, and a
 * series of drift retrains can ratchet quality down one margin at a time. The floor stops that: it
 * is set by the first promotion it sees, on that run's validation studies, which are pinned as the
 * <em>reference set</em> for good; every later candidate is also scored on the reference set and
 * must stay within the margins of the floor. The floor only rises: each promotion raises the mean
 * and every class to the candidate's reference scores where those are higher. So no promoted model
 * is ever more than the margin below the best quality accepted before it.
 *
 * @param meanDice the least mean foreground Dice on the reference set (the best accepted so far)
 * @param classDice the least Dice per foreground class, by metric key ({@code vertebrae}, ...);
 *     classes undefined on the reference set are absent
 * @param referenceStudies the validation studies pinned when the floor was first set
 * @param setByVersion the model version that first set the floor
 * @param raisedByVersion the model version that last raised it (= {@code setByVersion} at first)
 * @param updatedAt when it was last written
 */
public record QualityFloor(
    double meanDice,
    Map<String, Double> classDice,
    SortedSet<String> referenceStudies,
    int setByVersion,
    int raisedByVersion,
    Instant updatedAt) {

  /** The file's name inside the model's directory of the store. */
  public static final String FILE = "quality-floor.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Checks and copies the fields. */
  public QualityFloor {
    if (!(meanDice >= 0 && meanDice <= 1)) {
      throw new IllegalArgumentException("floor mean Dice must be in [0, 1]: " + meanDice);
    }
    classDice = Map.copyOf(new TreeMap<>(Objects.requireNonNull(classDice, "classDice")));
    for (Map.Entry<String, Double> e : classDice.entrySet()) {
      SpineClass c = SpineClass.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT));
      if (!SpineClass.FOREGROUND.contains(c) || !(e.getValue() >= 0 && e.getValue() <= 1)) {
        throw new IllegalArgumentException("bad floor for class " + e.getKey() + ": " + e);
      }
    }
    referenceStudies =
        java.util.Collections.unmodifiableSortedSet(
            new TreeSet<>(Objects.requireNonNull(referenceStudies, "referenceStudies")));
    if (referenceStudies.isEmpty()) {
      throw new IllegalArgumentException("a floor needs at least one reference study");
    }
    // Milliseconds, as an announcement carries it: a floor reads back equal to what was written.
    updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The first floor: {@code scores} of the promoted model {@code version} on {@code studies}, which
   * become the reference set.
   */
  public static QualityFloor first(
      ValidationScores scores, SortedSet<String> studies, int version, Instant now) {
    return new QualityFloor(scores.meanDice(), classes(scores), studies, version, version, now);
  }

  /**
   * The floor after promoting {@code version}, whose scores on the reference set are {@code
   * scores}: the mean and each class rise to the candidate's where it is higher, never fall.
   */
  public QualityFloor raise(ValidationScores scores, int version, Instant now) {
    Map<String, Double> raised = new TreeMap<>(classDice);
    boolean changed = false;
    for (Map.Entry<String, Double> e : classes(scores).entrySet()) {
      Double old = raised.get(e.getKey());
      if (old == null || e.getValue() > old) {
        raised.put(e.getKey(), e.getValue());
        changed = true;
      }
    }
    double mean = scores.meanDice();
    double newMean = meanDice;
    if (!Double.isNaN(mean) && mean > meanDice) {
      newMean = mean;
      changed = true;
    }
    return new QualityFloor(
        newMean, raised, referenceStudies, setByVersion, changed ? version : raisedByVersion, now);
  }

  /**
   * The floor without reference study {@code uid} (erased): the figures stay, since they were
   * reached on a set including the study and a floor only rises, so keeping them is the
   * conservative choice; empty when it was the only reference study (no floor can stand on none).
   */
  public Optional<QualityFloor> unpin(String uid, Instant now) {
    SortedSet<String> rest = new TreeSet<>(referenceStudies);
    rest.remove(uid);
    return rest.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new QualityFloor(meanDice, classDice, rest, setByVersion, raisedByVersion, now));
  }

  /** The floor of one class, NaN if the reference set does not define it. */
  public double dice(SpineClass c) {
    return classDice.getOrDefault(ValidationScores.key(c), Double.NaN);
  }

  /** The floor as a {@code models} announcement carries it. */
  public ModelQualityFloor toEvent() {
    return ModelQualityFloor.newBuilder()
        .setMeanDice(meanDice)
        .setClassDice(new TreeMap<>(classDice))
        .setReferenceStudies(List.copyOf(referenceStudies))
        .setSetByVersion(setByVersion)
        .setRaisedByVersion(raisedByVersion)
        .setUpdatedAt(updatedAt)
        .build();
  }

  /**
   * The floor an announcement carries.
   *
   * @throws IllegalArgumentException if it breaks the floor's rules (a value outside [0, 1], an
   *     unknown class, no reference study)
   */
  public static QualityFloor fromEvent(ModelQualityFloor e) {
    Map<String, Double> classes = new TreeMap<>();
    e.getClassDice().forEach((k, v) -> classes.put(k.toString(), v));
    SortedSet<String> studies = new TreeSet<>();
    e.getReferenceStudies().forEach(s -> studies.add(s.toString()));
    return new QualityFloor(
        e.getMeanDice(),
        classes,
        studies,
        e.getSetByVersion(),
        e.getRaisedByVersion(),
        e.getUpdatedAt());
  }

  /** The floor {@code announcement} carries; empty if it has none (an older writer). */
  public static Optional<QualityFloor> of(ModelAnnouncement announcement) {
    return Optional.ofNullable(announcement.getQualityFloor()).map(QualityFloor::fromEvent);
  }

  /**
   * The floor in force: the one the live announcement carries; when there is no live model or its
   * announcement has none (written before announcements carried the floor), the legacy file {@code
   * legacyFile}, if it exists.
   *
   * @throws IOException if the floor is there but not valid (in the announcement or the file): the
   *     gate must then not judge (a damaged floor is not "no floor")
   */
  public static Optional<QualityFloor> current(Optional<ModelAnnouncement> live, Path legacyFile)
      throws IOException {
    if (live.isPresent() && live.get().getQualityFloor() != null) {
      try {
        return of(live.get());
      } catch (RuntimeException e) {
        throw new IOException(
            "the quality floor of the live announcement v"
                + live.get().getVersion()
                + " is not valid: "
                + e.getMessage(),
            e);
      }
    }
    return read(legacyFile);
  }

  /**
   * The legacy file of the floor of model {@code name} in the store rooted at {@code storeRoot},
   * from before announcements carried it.
   */
  public static Path file(Path storeRoot, String name) {
    return storeRoot.resolve(name).resolve(FILE);
  }

  /**
   * Reads the floor from {@code file}; empty if there is none yet.
   *
   * @throws IOException if the file exists but cannot be read or is not a valid floor: the gate
   *     must then not judge (a damaged floor is not "no floor")
   */
  public static Optional<QualityFloor> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Stored s = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
      return Optional.of(
          new QualityFloor(
              s.meanDice(),
              s.classDice() == null ? Map.of() : s.classDice(),
              new TreeSet<>(s.referenceStudies() == null ? List.of() : s.referenceStudies()),
              s.setByVersion(),
              s.raisedByVersion(),
              Instant.parse(s.updatedAt())));
    } catch (RuntimeException | com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("the quality floor " + file + " is not valid: " + e.getMessage(), e);
    }
  }

  /** Writes the floor to {@code file} atomically (a crash leaves the old floor or the new one). */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(FILE + ".tmp");
    Stored s =
        new Stored(
            meanDice,
            classDice,
            List.copyOf(referenceStudies),
            setByVersion,
            raisedByVersion,
            updatedAt.toString());
    Files.writeString(temp, JSON.writeValueAsString(s), StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Map<String, Double> classes(ValidationScores scores) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (SpineClass c : SpineClass.FOREGROUND) {
      if (scores.defined(c)) {
        out.put(ValidationScores.key(c), scores.dice(c));
      }
    }
    return out;
  }

  /** The file's JSON shape. */
  private record Stored(
      double meanDice,
      Map<String, Double> classDice,
      List<String> referenceStudies,
      int setByVersion,
      int raisedByVersion,
      String updatedAt) {}
}
