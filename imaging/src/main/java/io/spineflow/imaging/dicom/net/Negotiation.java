package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.Part10;
import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.Pdu.AssociateAccept;
import io.spineflow.imaging.dicom.net.Pdu.AssociateReject;
import io.spineflow.imaging.dicom.net.Pdu.AssociateRequest;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.Pdu.ProposedContext;
import io.spineflow.imaging.dicom.net.Pdu.UserInformation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCP's answer to an A-ASSOCIATE-RQ (PS3.8 7.1, 9.3.3-4), a pure function of the request and
 * the configuration.
 *
 * <p>Checks, in order, each failure an A-ASSOCIATE-RJ: protocol version 1 (else permanent, source
 * 2, reason 2); the DICOM application context (permanent, source 1, reason 2); the called AE title
 * (permanent, source 1, reason 7); the calling AE title (permanent, source 1, reason 3); the
 * association limit (transient, source 3, reason 2). Then every presentation context: an abstract
 * syntax spineflow does not store is rejected with result 3, one whose transfer syntaxes it cannot
 * read with result 4, a reused or even context ID with result 2; otherwise the first proposed
 * transfer syntax the reader decodes is accepted (the sender's preference, so it need not
 * transcode). An association whose contexts are all rejected is still accepted, as PS3.8 has it:
 * the sender then finds it has nothing to send on it.
 *
 * @param answer the A-ASSOCIATE-AC or -RJ to send
 * @param rejection for an RJ, what failed (for the event), else null
 * @param accepted accepted context ID to (abstract syntax, transfer syntax)
 */
record Negotiation(Pdu answer, String rejection, Map<Integer, AcceptedContext> accepted) {

  /** An accepted presentation context. */
  record AcceptedContext(int id, String abstractSyntax, String transferSyntax) {}

  static Negotiation negotiate(AssociateRequest rq, StoreScpConfig config, boolean overLimit) {
    if ((rq.protocolVersion() & 1) == 0) {
      return reject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_ACSE,
          AssociateReject.PROTOCOL_VERSION_NOT_SUPPORTED,
          "PROTOCOL_VERSION_NOT_SUPPORTED: protocol version bit field "
              + rq.protocolVersion()
              + " lacks version 1");
    }
    if (!Pdu.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
      return reject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_USER,
          AssociateReject.APPLICATION_CONTEXT_NOT_SUPPORTED,
          "APPLICATION_CONTEXT_NOT_SUPPORTED: application context '"
              + printable(rq.applicationContext())
              + "' is not "
              + Pdu.APPLICATION_CONTEXT);
    }
    if (!config.answersTo(rq.calledAe())) {
      return reject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_USER,
          AssociateReject.CALLED_AE_NOT_RECOGNIZED,
          "CALLED_AE_NOT_RECOGNIZED: called AE title '"
              + printable(rq.calledAe())
              + "' is not one of "
              + config.calledAeTitles());
    }
    if (!config.allowsCaller(rq.callingAe())) {
      return reject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_USER,
          AssociateReject.CALLING_AE_NOT_RECOGNIZED,
          "CALLING_AE_NOT_RECOGNIZED: calling AE title '"
              + printable(rq.callingAe())
              + "' is not on the allow-list");
    }
    if (overLimit) {
      return reject(
          AssociateReject.TRANSIENT,
          AssociateReject.SOURCE_PRESENTATION,
          AssociateReject.LOCAL_LIMIT_EXCEEDED,
          "LOCAL_LIMIT_EXCEEDED: "
              + config.maxAssociations()
              + " associations are open (the limit); try again later");
    }
    List<ContextResult> results = new ArrayList<>();
    Map<Integer, AcceptedContext> accepted = new LinkedHashMap<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (ProposedContext pc : rq.contexts()) {
      ContextResult result = answer(pc, config, seen.add(pc.id()));
      results.add(result);
      if (result.accepted()) {
        accepted.put(
            pc.id(), new AcceptedContext(pc.id(), pc.abstractSyntax(), result.transferSyntax()));
      }
    }
    UserInformation user =
        new UserInformation(
            config.maxPduLength(),
            Part10.IMPLEMENTATION_CLASS_UID,
            Part10.IMPLEMENTATION_VERSION_NAME);
    AssociateAccept ac =
        new AssociateAccept(
            1, rq.calledAe(), rq.callingAe(), Pdu.APPLICATION_CONTEXT, results, user);
    return new Negotiation(ac, null, accepted);
  }

  private static ContextResult answer(ProposedContext pc, StoreScpConfig config, boolean firstUse) {
    String first = pc.transferSyntaxes().get(0);
    if (!firstUse || pc.id() % 2 == 0) {
      return new ContextResult(pc.id(), ContextResult.NO_REASON, first);
    }
    boolean verification = StoreScpConfig.VERIFICATION.equals(pc.abstractSyntax());
    if (!verification && !config.sopClasses().contains(pc.abstractSyntax())) {
      return new ContextResult(pc.id(), ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED, first);
    }
    for (String uid : pc.transferSyntaxes()) {
      TransferSyntax ts = TransferSyntax.of(uid);
      // The reader decodes it; Verification carries no data set, so no encapsulated syntax.
      if (ts != null && ts.decodable() && !(verification && ts.encapsulated())) {
        return new ContextResult(pc.id(), ContextResult.ACCEPTANCE, uid);
      }
    }
    return new ContextResult(pc.id(), ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED, first);
  }

  private static Negotiation reject(int result, int source, int reason, String why) {
    return new Negotiation(new AssociateReject(result, source, reason), why, Map.of());
  }

  /** A title or UID from the wire, safe for a log line: printable ASCII, at most 64 characters. */
  static String printable(String raw) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < raw.length() && s.length() < 64; i++) {
      char ch = raw.charAt(i);
      s.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
    }
    return s.toString();
  }
}
