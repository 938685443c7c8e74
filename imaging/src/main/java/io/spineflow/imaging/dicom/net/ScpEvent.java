package io.spineflow.imaging.dicom.net;

import java.util.Objects;

/**
 * Something the SCP did, for the embedding service's log, metrics and dead letters. Carries AE
 * titles, addresses, UIDs of SOP classes and reason texts, never a patient attribute.
 *
 * @param remote the peer's address and port
 * @param callingAe null before the A-ASSOCIATE-RQ is read
 * @param calledAe null before the A-ASSOCIATE-RQ is read
 * @param reasonCode a {@link PduReason} or {@link StoreReason} name, a sink's reason code, or a
 *     rejection's name; null when nothing went wrong
 * @param status the C-STORE/C-ECHO status answered, or -1
 * @param message what happened, naming the field and the limit when one was exceeded
 */
public record ScpEvent(
    Kind kind,
    String remote,
    String callingAe,
    String calledAe,
    String reasonCode,
    int status,
    String message) {

  public ScpEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(remote, "remote");
  }

  /** What happened. */
  public enum Kind {
    /** An association was accepted (some of its presentation contexts may have been rejected). */
    ASSOCIATION_ACCEPTED,
    /** An A-ASSOCIATE-RJ was sent; {@code reasonCode} says which check failed. */
    ASSOCIATION_REJECTED,
    /** A-RELEASE-RQ answered. */
    ASSOCIATION_RELEASED,
    /** The SCP aborted the association; {@code reasonCode} is a {@link PduReason}. */
    ASSOCIATION_ABORTED,
    /** The peer sent A-ABORT, or closed the connection without a release. */
    PEER_ABORTED,
    /**
     * A connection ended before any association: TLS handshake failed, closed at once, or refused
     * because too many connections were open.
     */
    CONNECTION_FAILED,
    /** C-ECHO answered. */
    ECHO,
    /** A DIMSE request other than C-ECHO and C-STORE, answered 0211 (unrecognized operation). */
    OPERATION_REFUSED,
    /** An instance was handed to the sink, which accepted it (status 0000). */
    INSTANCE_STORED,
    /**
     * The sink refused the instance (status C000: it wrote the dead letter) or could not take it
     * now (A700).
     */
    INSTANCE_REFUSED,
    /**
     * The SCP refused the instance before the sink saw it ({@code reasonCode} is a {@link
     * StoreReason}): the embedding service records the dead letter.
     */
    INSTANCE_REJECTED
  }
}
