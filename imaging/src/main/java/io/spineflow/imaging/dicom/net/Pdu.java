package io.spineflow.imaging.dicom.net;

import java.util.List;
import java.util.Objects;

/**
 * The seven protocol data units of the DICOM Upper Layer (PS3.8 9.3), as values. {@link PduCodec}
 * reads and writes them.
 */
public sealed interface Pdu {
  /** The DICOM application context name, the only one PS3.7 A.2.1 defines. */
  String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

  /**
   * Maximum PDU length, implementation class UID and version name (PS3.7 D.3.3.1-2); other
   * user-information sub-items are read over and not kept.
   *
   * @param maxPduLength longest P-DATA-TF variable field the sender of this item receives; 0 means
   *     no limit
   * @param implementationVersionName null when absent
   */
  record UserInformation(
      long maxPduLength, String implementationClassUid, String implementationVersionName) {
    public UserInformation {
      Objects.requireNonNull(implementationClassUid, "implementationClassUid");
    }
  }

  /** A proposed presentation context: an odd ID, one abstract syntax, its transfer syntaxes. */
  record ProposedContext(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public ProposedContext {
      Objects.requireNonNull(abstractSyntax, "abstractSyntax");
      transferSyntaxes = List.copyOf(transferSyntaxes);
    }
  }

  /**
   * The answer to a proposed context (PS3.8 9.3.3.2).
   *
   * @param result {@link #ACCEPTANCE} or one of the rejection reasons
   * @param transferSyntax the chosen syntax; ignored (written as the first proposed one) unless
   *     accepted
   */
  record ContextResult(int id, int result, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public ContextResult {
      Objects.requireNonNull(transferSyntax, "transferSyntax");
    }

    public boolean accepted() {
      return result == ACCEPTANCE;
    }
  }

  /** A-ASSOCIATE-RQ (type 01). */
  record AssociateRequest(
      int protocolVersion,
      String calledAe,
      String callingAe,
      String applicationContext,
      List<ProposedContext> contexts,
      UserInformation userInformation)
      implements Pdu {
    public AssociateRequest {
      Objects.requireNonNull(calledAe, "calledAe");
      Objects.requireNonNull(callingAe, "callingAe");
      Objects.requireNonNull(applicationContext, "applicationContext");
      contexts = List.copyOf(contexts);
      Objects.requireNonNull(userInformation, "userInformation");
    }
  }

  /** A-ASSOCIATE-AC (type 02). */
  record AssociateAccept(
      int protocolVersion,
      String calledAe,
      String callingAe,
      String applicationContext,
      List<ContextResult> contexts,
      UserInformation userInformation)
      implements Pdu {
    public AssociateAccept {
      Objects.requireNonNull(calledAe, "calledAe");
      Objects.requireNonNull(callingAe, "callingAe");
      Objects.requireNonNull(applicationContext, "applicationContext");
      contexts = List.copyOf(contexts);
      Objects.requireNonNull(userInformation, "userInformation");
    }
  }

  /**
   * A-ASSOCIATE-RJ (type 03), PS3.8 9.3.4.
   *
   * @param result 1 rejected-permanent, 2 rejected-transient
   * @param source 1 service user, 2 service provider (ACSE), 3 service provider (presentation)
   * @param reason depends on the source (see the constants)
   */
  record AssociateReject(int result, int source, int reason) implements Pdu {
    public static final int PERMANENT = 1;
    public static final int TRANSIENT = 2;
    public static final int SOURCE_USER = 1;
    public static final int SOURCE_ACSE = 2;
    public static final int SOURCE_PRESENTATION = 3;

    /** Source 1. */
    public static final int NO_REASON_GIVEN = 1;

    /** Source 1. */
    public static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;

    /** Source 1. */
    public static final int CALLING_AE_NOT_RECOGNIZED = 3;

    /** Source 1. */
    public static final int CALLED_AE_NOT_RECOGNIZED = 7;

    /** Source 2. */
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;

    /** Source 3. */
    public static final int TEMPORARY_CONGESTION = 1;

    /** Source 3. */
    public static final int LOCAL_LIMIT_EXCEEDED = 2;
  }

  /**
   * One presentation data value: a fragment of a command set or of a data set.
   *
   * @param command the fragment belongs to the command set (else to the data set)
   * @param last it is the message part's last fragment
   */
  record Pdv(int contextId, boolean command, boolean last, byte[] data) {
    public Pdv {
      Objects.requireNonNull(data, "data");
    }
  }

  /** P-DATA-TF (type 04): one or more PDVs. */
  record PData(List<Pdv> pdvs) implements Pdu {
    public PData {
      pdvs = List.copyOf(pdvs);
    }
  }

  /** A-RELEASE-RQ (type 05). */
  record ReleaseRequest() implements Pdu {}

  /** A-RELEASE-RP (type 06). */
  record ReleaseResponse() implements Pdu {}

  /**
   * A-ABORT (type 07).
   *
   * @param source 0 service user, 2 service provider
   * @param reason for source 2 the {@link PduReason#abortReason()}; 0 otherwise
   */
  record Abort(int source, int reason) implements Pdu {
    public static final int SOURCE_USER = 0;
    public static final int SOURCE_PROVIDER = 2;
  }
}
