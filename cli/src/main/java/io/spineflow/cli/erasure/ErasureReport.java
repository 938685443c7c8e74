package io.spineflow.cli.erasure;

import io.spineflow.platform.LogSafe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one erasure removed and what it could not, place by place, so the operator knows when the
 * study is gone for good. The study appears only as its {@link LogSafe#id} (the report may be
 * pasted into a ticket).
 *
 * @param studyRef {@link LogSafe#id} of the study UID
 * @param claimFiles claim-check files deleted
 * @param claimFilesRefused claim-check URIs of the study outside the claim-check stores, left alone
 * @param cachedFiles files of the study deleted from the trainer's slice cache
 * @param floor what became of the quality floor's reference set
 * @param tombstones compacted topics and store changelogs, with the keys tombstoned in each
 * @param lineageVersions model announcements whose lineage lists the study (its UID only)
 * @param retained topics that keep the study's records until their retention
 * @param warnings what the operator must still do (e.g. restart a running service)
 * @param auditId the id of the ERASURE record on {@code audit}
 * @param at when the erasure ran
 */
public record ErasureReport(
    String studyRef,
    int claimFiles,
    int claimFilesRefused,
    int cachedFiles,
    Floor floor,
    List<Tombstoned> tombstones,
    int lineageVersions,
    List<Retained> retained,
    List<String> warnings,
    String auditId,
    Instant at) {

  public ErasureReport {
    tombstones = List.copyOf(tombstones);
    retained = List.copyOf(retained);
    warnings = List.copyOf(warnings);
  }

  /** What became of the quality floor. */
  public enum FloorOutcome {
    /** Neither a live {@code models} announcement nor the legacy file has a floor. */
    NO_FLOOR,
    /** The floor exists and does not pin the study. */
    NOT_PINNED,
    /** The study was removed from the reference set; the floor stands on the rest. */
    UNPINNED,
    /**
     * The study was the last reference study: the floor was removed (from the live announcement,
     * which is sent again without one, and the legacy file), the next promotion re-pins.
     */
    DELETED
  }

  /**
   * @param outcome what happened
   * @param remainingReferences reference studies left in the floor
   */
  public record Floor(FloorOutcome outcome, int remainingReferences) {}

  /**
   * @param topic the compacted topic or changelog
   * @param what what it is
   * @param present whether the topic exists (a service that never ran has no changelog)
   * @param keys keys of the study that got a tombstone
   */
  public record Tombstoned(String topic, String what, boolean present, int keys) {}

  /**
   * @param topic a non-compacted topic
   * @param keying how it names the study
   * @param retention its {@code retention.ms} read from the broker; null: forever (-1)
   * @param cleanupPolicy its {@code cleanup.policy} read from the broker
   */
  public record Retained(
      String topic, ErasurePlan.Keying keying, Duration retention, String cleanupPolicy) {

    /** When the broker has deleted the study's records at the latest; null: never. */
    public Instant goneBy(Instant now) {
      return retention == null ? null : now.plus(retention);
    }
  }

  /** Tombstones written in all. */
  public int tombstoneCount() {
    return tombstones.stream().mapToInt(Tombstoned::keys).sum();
  }

  /** The report as the command prints it. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("Erasure of study ").append(studyRef).append(" at ").append(at).append('\n');
    out.append("\nRemoved:\n");
    line(out, "claim-check files", claimFiles + " deleted");
    if (claimFilesRefused > 0) {
      line(out, "", claimFilesRefused + " outside the claim-check store, left alone (check them)");
    }
    line(out, "trainer slice cache", cachedFiles + " files deleted");
    line(out, "quality floor", floorText());
    for (Tombstoned t : tombstones) {
      line(
          out,
          t.topic(),
          t.present()
              ? t.keys() + " tombstones (" + t.what() + "; compaction drops the records)"
              : "absent (" + t.what() + " never ran here)");
    }
    line(out, "audit", "ERASURE recorded (auditId " + auditId + ")");
    out.append("\nCannot be removed (kept until their retention ages them out):\n");
    for (Retained r : retained) {
      Instant gone = r.goneBy(at);
      line(
          out,
          r.topic(),
          (r.retention() == null
                  ? "retention forever: never aged out (delete the topic's records by offset or"
                      + " recreate it to be rid of them)"
                  : "retention " + human(r.retention()) + ": gone by " + gone)
              + " [cleanup.policy="
              + r.cleanupPolicy()
              + ", keyed by "
              + (switch (r.keying()) {
                case SLICE -> "studyUID/slice";
                case UNDER_STUDY -> "studyUID/…";
                default -> "study UID";
              })
              + "]");
    }
    line(
        out,
        "model lineage",
        lineageVersions
            + " model announcements list the study's UID (the UID only, no image data; a model's"
            + " lineage must say what it was trained on)");
    line(
        out,
        "audit",
        "earlier records of the study (e.g. UPLOAD) are kept: the trail is append-only");
    if (!warnings.isEmpty()) {
      out.append("\nStill to do:\n");
      warnings.forEach(w -> out.append("  - ").append(w).append('\n'));
    }
    return out.toString();
  }

  private String floorText() {
    return switch (floor.outcome()) {
      case NO_FLOOR -> "no floor yet";
      case NOT_PINNED -> "does not pin the study";
      case UNPINNED ->
          "study unpinned; the floor stands on the "
              + floor.remainingReferences()
              + " other reference studies";
      case DELETED -> "it was the only reference study: floor deleted, the next promotion re-pins";
    };
  }

  private static final int PLACE_WIDTH = 44;

  /** One place per line; a name too long for the column (a changelog) gets a line of its own. */
  private static void line(StringBuilder out, String place, String what) {
    if (place.length() > PLACE_WIDTH) {
      out.append("  ").append(place).append('\n');
      place = "";
    }
    out.append(String.format("  %-" + PLACE_WIDTH + "s %s%n", place, what));
  }

  /** 604800000 ms → "7d", 36 h → "36h". */
  static String human(Duration d) {
    if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
      return d.toHours() + "h";
    }
    return d.toMillis() + "ms";
  }
}
