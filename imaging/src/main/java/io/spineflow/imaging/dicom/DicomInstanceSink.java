package io.spineflow.imaging.dicom;

import java.util.Objects;

/**
 * Where a DICOM door hands each received instance: the C-STORE SCP, STOW-RS, the watched folder and
 * {@code ./spineflow push} all end here. Ingest implements it (it writes the instance durably to
 * Kafka, where series are assembled after a quiet period); a door only receives and answers.
 *
 * <p>Contract for a door:
 *
 * <ul>
 *   <li>{@link #store} returns only when the instance is durably accepted (the door may then answer
 *       success: C-STORE status 0000, STOW-RS ReferencedSOPSequence) or refused with a reason.
 *   <li>{@link #store} never throws for a bad instance: a malformed, non-MR or otherwise refused
 *       instance is a {@link Outcome.Status#REFUSED} outcome, and the sink has already written its
 *       one dead letter. {@link Outcome.Status#UNAVAILABLE} means spineflow could not take it now
 *       (Kafka down, shutting down): the sender should retry; nothing was dead-lettered.
 *   <li>A re-sent identical instance is {@link Outcome.Status#ACCEPTED} again (it creates no
 *       duplicate downstream).
 *   <li>Thread-safe: a door may call it from many associations/requests at once.
 *   <li>The door never logs patient attributes; the sink neither.
 * </ul>
 */
public interface DicomInstanceSink {

  /**
   * Takes one instance.
   *
   * @throws InterruptedException when the calling thread is interrupted while waiting for Kafka
   */
  Outcome store(ReceivedInstance instance) throws InterruptedException;

  /**
   * The sender ended a batch: association released, STOW-RS request answered. Only a hint: a series
   * is still published after its quiet period (scanners often send one instance per association).
   * The default does nothing.
   */
  default void batchEnded(ReceivedInstance.Door door, String sender) {}

  /**
   * One received instance.
   *
   * @param part10 the bytes of a complete DICOM Part 10 file (preamble, "DICM", file meta group,
   *     data set); a DIMSE door that holds a bare data set builds it with {@link
   *     Part10#wrap(String, String, String, byte[], String)}
   * @param door which door received it
   * @param sender who sent it: the calling AE title (DIMSE), the client address (STOW-RS), the file
   *     name (folder, push); for audit, never a patient attribute
   */
  record ReceivedInstance(byte[] part10, Door door, String sender) {
    public ReceivedInstance {
      Objects.requireNonNull(part10, "part10");
      Objects.requireNonNull(door, "door");
      Objects.requireNonNull(sender, "sender");
    }

    /** The doors a DICOM instance comes in through. */
    public enum Door {
      DIMSE,
      STOW_RS,
      FOLDER,
      PUSH
    }
  }

  /**
   * What became of an instance.
   *
   * @param reasonCode null when accepted; a {@link ReasonCode} name or an ingest reason otherwise
   * @param field the attribute or part at fault, or null
   * @param message for the sender (it may quote the instance but never a patient attribute), or
   *     null when accepted
   */
  record Outcome(Status status, String reasonCode, String field, String message) {
    public Outcome {
      Objects.requireNonNull(status, "status");
    }

    public static Outcome accepted() {
      return new Outcome(Status.ACCEPTED, null, null, null);
    }

    public static Outcome refused(String reasonCode, String field, String message) {
      return new Outcome(Status.REFUSED, reasonCode, field, message);
    }

    public static Outcome unavailable(String message) {
      return new Outcome(Status.UNAVAILABLE, "UNAVAILABLE", null, message);
    }

    /** The three answers, with the C-STORE status a DIMSE door should send. */
    public enum Status {
      /** Durably taken (or a duplicate of one taken): C-STORE 0x0000 Success. */
      ACCEPTED(0x0000),
      /** Refused and dead-lettered: C-STORE 0xC000 Error, Cannot understand. */
      REFUSED(0xC000),
      /** Not taken, try again later: C-STORE 0xA700 Refused, Out of Resources. */
      UNAVAILABLE(0xA700);

      private final int dimseStatus;

      Status(int dimseStatus) {
        this.dimseStatus = dimseStatus;
      }

      public int dimseStatus() {
        return dimseStatus;
      }
    }
  }
}
