package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.DicomInstanceSink.Outcome;
import io.spineflow.imaging.dicom.DicomInstanceSink.ReceivedInstance;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.Part10;
import io.spineflow.imaging.dicom.net.Negotiation.AcceptedContext;
import io.spineflow.imaging.dicom.net.Pdu.Abort;
import io.spineflow.imaging.dicom.net.Pdu.AssociateRequest;
import io.spineflow.imaging.dicom.net.Pdu.PData;
import io.spineflow.imaging.dicom.net.Pdu.Pdv;
import io.spineflow.imaging.dicom.net.Pdu.ReleaseRequest;
import io.spineflow.imaging.dicom.net.ScpEvent.Kind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the SCP, from the A-ASSOCIATE-RQ to the close, on its own thread. Every problem
 * ends here as an A-ABORT or a status: nothing it catches reaches the server.
 */
final class Association implements Runnable {
  private static final int BUFFER = 64 << 10;

  private final StoreScpConfig config;
  private final DicomInstanceSink sink;
  private final StoreScpListener listener;
  private final DicomReader reader;
  private final Socket socket;
  private final boolean overLimit;
  private final String remote;

  private InputStream in;
  private OutputStream out;
  private String callingAe;
  private String calledAe;
  private long peerMaxPdu;
  private Map<Integer, AcceptedContext> contexts = Map.of();

  /** The message being received: its command fragments, then its command and data fragments. */
  private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();

  private int messageContext = -1;
  private DimseCommand pending;
  private DataBuffer data;

  Association(
      StoreScpConfig config,
      DicomInstanceSink sink,
      StoreScpListener listener,
      DicomReader reader,
      Socket socket,
      boolean overLimit) {
    this.config = config;
    this.sink = sink;
    this.listener = listener;
    this.reader = reader;
    this.socket = socket;
    this.overLimit = overLimit;
    this.remote = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
  }

  @Override
  public void run() {
    try {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.artimTimeout().toMillis()));
      socket.setTcpNoDelay(true);
      if (socket instanceof SSLSocket tls) {
        tls.startHandshake();
      }
      in = new BufferedInputStream(socket.getInputStream(), BUFFER);
      out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
      if (associate()) {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis()));
        serve();
      }
    } catch (PduException e) {
      abort(e.reason(), e.getMessage());
    } catch (SocketTimeoutException e) {
      abort(
          PduReason.TIMEOUT,
          callingAe == null
              ? "no A-ASSOCIATE-RQ within the ARTIM timeout of " + config.artimTimeout()
              : "no PDU within the idle timeout of " + config.idleTimeout());
    } catch (SSLException e) {
      event(Kind.CONNECTION_FAILED, "TLS_HANDSHAKE_FAILED", -1, "TLS: " + e.getMessage());
    } catch (IOException e) {
      event(Kind.PEER_ABORTED, "CONNECTION_LOST", -1, "connection lost: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(PduReason.TIMEOUT, "the SCP is shutting down");
    } catch (RuntimeException e) {
      // A bug of ours: the peer gets an abort, the server goes on.
      abort(PduReason.MALFORMED_DIMSE, "internal error: " + e);
    } finally {
      closeQuietly();
    }
  }

  /** Reads the A-ASSOCIATE-RQ and answers it; true when the association is established. */
  private boolean associate() throws IOException {
    Pdu first = PduCodec.read(in, config.maxPduLength());
    if (first == null) {
      event(Kind.CONNECTION_FAILED, "CLOSED", -1, "closed before an A-ASSOCIATE-RQ");
      return false;
    }
    if (!(first instanceof AssociateRequest rq)) {
      throw new PduException(
          PduReason.UNEXPECTED_PDU,
          first.getClass().getSimpleName() + " where an A-ASSOCIATE-RQ belongs");
    }
    callingAe = Negotiation.printable(rq.callingAe());
    calledAe = Negotiation.printable(rq.calledAe());
    Negotiation negotiation = Negotiation.negotiate(rq, config, overLimit);
    if (negotiation.rejection() != null) {
      String code = negotiation.rejection().substring(0, negotiation.rejection().indexOf(':'));
      event(Kind.ASSOCIATION_REJECTED, code, -1, negotiation.rejection());
      send(negotiation.answer());
      awaitClose();
      return false;
    }
    send(negotiation.answer());
    contexts = negotiation.accepted();
    peerMaxPdu = rq.userInformation().maxPduLength();
    event(
        Kind.ASSOCIATION_ACCEPTED,
        null,
        -1,
        contexts.size() + " of " + rq.contexts().size() + " presentation contexts accepted");
    return true;
  }

  private void serve() throws IOException, InterruptedException {
    while (true) {
      Pdu pdu = PduCodec.read(in, config.maxPduLength());
      if (pdu == null) {
        event(
            Kind.PEER_ABORTED, "CLOSED", -1, "the peer closed the connection without A-RELEASE-RQ");
        return;
      }
      if (pdu instanceof PData pdata) {
        for (Pdv pdv : pdata.pdvs()) {
          receive(pdv);
        }
      } else if (pdu instanceof ReleaseRequest) {
        // Told before the answer, so whoever waits on the sender's exit sees the release.
        event(Kind.ASSOCIATION_RELEASED, null, -1, "released");
        batchEnded();
        send(new Pdu.ReleaseResponse());
        awaitClose();
        return;
      } else if (pdu instanceof Abort abort) {
        event(
            Kind.PEER_ABORTED,
            "A_ABORT",
            -1,
            "A-ABORT from the peer (source " + abort.source() + ", reason " + abort.reason() + ")");
        return;
      } else {
        throw new PduException(
            PduReason.UNEXPECTED_PDU,
            pdu.getClass().getSimpleName() + " within an established association");
      }
    }
  }

  private void batchEnded() {
    try {
      sink.batchEnded(ReceivedInstance.Door.DIMSE, callingAe);
    } catch (RuntimeException e) {
      // only a hint: the quiet period publishes the series anyway
    }
  }

  private void receive(Pdv pdv) throws IOException, InterruptedException {
    if (!contexts.containsKey(pdv.contextId())) {
      throw new PduException(
          PduReason.UNKNOWN_PRESENTATION_CONTEXT,
          "PDV on presentation context " + pdv.contextId() + ", which was not accepted");
    }
    if (messageContext != -1 && messageContext != pdv.contextId()) {
      throw new PduException(
          PduReason.MALFORMED_DIMSE,
          "PDV on presentation context "
              + pdv.contextId()
              + " inside a message on context "
              + messageContext);
    }
    messageContext = pdv.contextId();
    if (pdv.command()) {
      receiveCommand(pdv);
    } else {
      receiveData(pdv);
    }
  }

  private void receiveCommand(Pdv pdv) throws IOException, InterruptedException {
    if (pending != null) {
      throw new PduException(
          PduReason.MALFORMED_DIMSE,
          "a command fragment where the data set of the last command belongs");
    }
    if (commandBytes.size() + pdv.data().length > DimseCommand.MAX_COMMAND_BYTES) {
      throw new PduException(
          PduReason.MALFORMED_DIMSE,
          "command set longer than " + DimseCommand.MAX_COMMAND_BYTES + " bytes");
    }
    commandBytes.writeBytes(pdv.data());
    if (!pdv.last()) {
      return;
    }
    DimseCommand command = DimseCommand.decode(commandBytes.toByteArray());
    commandBytes.reset();
    if (command.isResponse()) {
      throw new PduException(
          PduReason.MALFORMED_DIMSE,
          String.format("a response (Command Field %04X) sent to the SCP", command.commandField()));
    }
    if (command.hasDataSet()) {
      pending = command;
      data = new DataBuffer(config.maxInstanceBytes());
    } else {
      dispatch(command, null);
    }
  }

  private void receiveData(Pdv pdv) throws IOException, InterruptedException {
    if (pending == null) {
      throw new PduException(PduReason.MALFORMED_DIMSE, "a data set fragment before its command");
    }
    data.write(pdv.data());
    if (pdv.last()) {
      DimseCommand command = pending;
      DataBuffer dataset = data;
      pending = null;
      data = null;
      dispatch(command, dataset);
    }
  }

  private void dispatch(DimseCommand command, DataBuffer dataset)
      throws IOException, InterruptedException {
    AcceptedContext context = contexts.get(messageContext);
    messageContext = -1;
    switch (command.commandField()) {
      case DimseCommand.C_ECHO_RQ -> echo(command, context);
      case DimseCommand.C_STORE_RQ -> store(command, context, dataset);
      case DimseCommand.C_CANCEL_RQ -> {
        // Nothing to cancel: every C-STORE is answered before the next message is read.
      }
      default -> {
        event(
            Kind.OPERATION_REFUSED,
            "UNRECOGNIZED_OPERATION",
            0x0211,
            String.format(
                "Command Field %04X: only C-ECHO and C-STORE are served", command.commandField()));
        respond(context, DimseCommand.response(command, 0x0211));
      }
    }
  }

  private void echo(DimseCommand command, AcceptedContext context) throws IOException {
    boolean verification = StoreScpConfig.VERIFICATION.equals(context.abstractSyntax());
    int status = verification ? 0x0000 : 0x0122;
    event(Kind.ECHO, verification ? null : "SOP_CLASS_NOT_NEGOTIATED", status, "C-ECHO");
    respond(context, DimseCommand.response(command, status));
  }

  private void store(DimseCommand command, AcceptedContext context, DataBuffer dataset)
      throws IOException, InterruptedException {
    String sopClass = command.affectedSopClassUid();
    String sopInstance = command.affectedSopInstanceUid();
    if (sopClass == null || sopInstance == null || dataset == null) {
      reject(
          command,
          context,
          StoreReason.MALFORMED_STORE_REQUEST,
          "C-STORE-RQ without "
              + (dataset == null
                  ? "a data set"
                  : sopClass == null
                      ? "Affected SOP Class UID (0000,0002)"
                      : "Affected SOP Instance UID (0000,1000)"));
      return;
    }
    if (!sopClass.equals(context.abstractSyntax())) {
      reject(
          command,
          context,
          StoreReason.SOP_CLASS_NOT_NEGOTIATED,
          "Affected SOP Class UID (0000,0002) "
              + Negotiation.printable(sopClass)
              + " is not presentation context "
              + context.id()
              + "'s "
              + context.abstractSyntax());
      return;
    }
    if (dataset.overflowed()) {
      reject(
          command,
          context,
          StoreReason.INSTANCE_TOO_LARGE,
          "limit of "
              + config.maxInstanceBytes()
              + " bytes exceeded ("
              + dataset.received()
              + " received; maxInstanceBytes)");
      return;
    }
    byte[] part10 =
        Part10.wrap(sopClass, sopInstance, context.transferSyntax(), dataset.bytes(), callingAe);
    String mismatch = mismatch(part10, sopClass, sopInstance);
    if (mismatch != null) {
      StoreReason reason =
          mismatch.startsWith("SOPClassUID")
              ? StoreReason.SOP_CLASS_MISMATCH
              : StoreReason.SOP_INSTANCE_MISMATCH;
      reject(command, context, reason, mismatch);
      return;
    }
    handOver(command, context, part10);
  }

  /**
   * The data set's SOP Class and Instance UIDs against the command's, or null when they agree or
   * the data set cannot be read (then the sink refuses it with the reader's reason and dead
   * letter).
   */
  private String mismatch(byte[] part10, String sopClass, String sopInstance) {
    DicomFile file;
    try {
      file = reader.readFile(part10);
    } catch (DicomException e) {
      return null;
    }
    String datasetClass = file.dataset().string(DicomTag.SOP_CLASS_UID);
    if (datasetClass != null && !datasetClass.equals(sopClass)) {
      return "SOPClassUID (0008,0016) "
          + Negotiation.printable(datasetClass)
          + " differs from the command's Affected SOP Class UID "
          + sopClass;
    }
    String datasetInstance = file.dataset().string(DicomTag.SOP_INSTANCE_UID);
    if (datasetInstance != null && !datasetInstance.equals(sopInstance)) {
      return "SOPInstanceUID (0008,0018) differs from the command's Affected SOP Instance UID";
    }
    return null;
  }

  private void handOver(DimseCommand command, AcceptedContext context, byte[] part10)
      throws IOException, InterruptedException {
    Outcome outcome;
    try {
      outcome = sink.store(new ReceivedInstance(part10, ReceivedInstance.Door.DIMSE, callingAe));
    } catch (RuntimeException e) {
      reject(command, context, StoreReason.PROCESSING_FAILURE, "the sink failed: " + e);
      return;
    }
    int status = outcome.status().dimseStatus();
    DimseCommand rsp = DimseCommand.response(command, status);
    if (outcome.status() == Outcome.Status.ACCEPTED) {
      event(Kind.INSTANCE_STORED, null, status, "stored " + command.affectedSopClassUid());
      respond(context, rsp);
      return;
    }
    String text =
        outcome.reasonCode() + (outcome.message() == null ? "" : ": " + outcome.message());
    event(Kind.INSTANCE_REFUSED, outcome.reasonCode(), status, text);
    respond(context, rsp.withErrorComment(text));
  }

  /** Tells the listener first (it records the dead letter), then answers the sender. */
  private void reject(
      DimseCommand command, AcceptedContext context, StoreReason reason, String message)
      throws IOException {
    event(Kind.INSTANCE_REJECTED, reason.name(), reason.status(), message);
    respond(
        context,
        DimseCommand.response(command, reason.status())
            .withErrorComment(reason.name() + ": " + message));
  }

  /** Sends a command set as PDVs no longer than the peer's maximum PDU length. */
  private void respond(AcceptedContext context, DimseCommand command) throws IOException {
    byte[] bytes = command.encode();
    long max = peerMaxPdu == 0 ? bytes.length + 6 : peerMaxPdu;
    int chunk = (int) Math.max(1, Math.min(bytes.length, max - 6));
    for (int at = 0; at < bytes.length; at += chunk) {
      int end = Math.min(bytes.length, at + chunk);
      byte[] part = java.util.Arrays.copyOfRange(bytes, at, end);
      send(new PData(List.of(new Pdv(context.id(), true, end == bytes.length, part))));
    }
  }

  private void send(Pdu pdu) throws IOException {
    out.write(PduCodec.encode(pdu));
    out.flush();
  }

  /** Tells the listener, then sends A-ABORT (the peer may read it and close at once). */
  private void abort(PduReason reason, String message) {
    event(Kind.ASSOCIATION_ABORTED, reason.name(), -1, message);
    try {
      if (out != null) {
        send(new Abort(Abort.SOURCE_PROVIDER, reason.abortReason()));
      }
    } catch (IOException e) {
      // the peer is gone already
    }
  }

  /** After a release or rejection, gives the peer ARTIM to close (PS3.8 9.2.3), reading nothing. */
  private void awaitClose() {
    try {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.artimTimeout().toMillis()));
      byte[] drain = new byte[4096];
      long total = 0;
      int n;
      while ((n = in.read(drain)) != -1 && (total += n) < PduCodec.MAX_CONTROL_PDU_LENGTH) {
        // discard: nothing may follow a release or rejection
      }
    } catch (IOException e) {
      // timed out or reset: the socket is closed either way
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private void event(Kind kind, String reasonCode, int status, String message) {
    try {
      listener.onEvent(
          new ScpEvent(kind, remote, callingAe, calledAe, reasonCode, status, message));
    } catch (RuntimeException e) {
      // a listener never stops the SCP
    }
  }

  /** A data set's bytes up to the limit; past it, bytes are counted and dropped. */
  private static final class DataBuffer {
    private final int limit;
    private byte[] buf = new byte[64 << 10];
    private int size;
    private long received;

    DataBuffer(int limit) {
      this.limit = limit;
    }

    void write(byte[] chunk) {
      received += chunk.length;
      if (received > limit) {
        buf = null;
        return;
      }
      if (size + chunk.length > buf.length) {
        long grown = Math.max((long) size + chunk.length, Math.min((long) buf.length * 2, limit));
        buf = java.util.Arrays.copyOf(buf, (int) Math.min(grown, limit));
      }
      System.arraycopy(chunk, 0, buf, size, chunk.length);
      size += chunk.length;
    }

    boolean overflowed() {
      return received > limit;
    }

    long received() {
      return received;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buf, size);
    }
  }
}
