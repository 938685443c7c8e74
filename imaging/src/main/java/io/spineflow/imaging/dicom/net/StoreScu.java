package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.Part10;
import io.spineflow.imaging.dicom.net.Pdu.AssociateAccept;
import io.spineflow.imaging.dicom.net.Pdu.AssociateReject;
import io.spineflow.imaging.dicom.net.Pdu.AssociateRequest;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.Pdu.PData;
import io.spineflow.imaging.dicom.net.Pdu.Pdv;
import io.spineflow.imaging.dicom.net.Pdu.ProposedContext;
import io.spineflow.imaging.dicom.net.Pdu.UserInformation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal storage SCU (the sending side): one association, C-ECHO, C-STORE of Part 10 files sent
 * in their own transfer syntax (no transcoding), release. For tools and tests; the foreign client
 * the SCP is tested against is dcmtk's {@code storescu}.
 */
public final class StoreScu implements AutoCloseable {
  private static final int MAX_PDU = 64 << 10;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final AssociateAccept accept;
  private final List<ProposedContext> proposed;
  private int messageId;

  /** A C-STORE or C-ECHO answer. */
  public record Response(int status, String errorComment) {}

  /** The SCP answered A-ASSOCIATE-RJ. */
  public static final class RejectedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient AssociateReject reject;

    RejectedException(AssociateReject reject) {
      super(
          "A-ASSOCIATE-RJ result "
              + reject.result()
              + " source "
              + reject.source()
              + " reason "
              + reject.reason());
      this.reject = reject;
    }

    public AssociateReject reject() {
      return reject;
    }
  }

  private StoreScu(Socket socket, AssociateAccept accept, List<ProposedContext> proposed)
      throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
    this.accept = accept;
    this.proposed = proposed;
  }

  /**
   * Opens an association.
   *
   * @param tls null for plain TCP
   * @param timeout connect and read timeout
   * @throws RejectedException when the SCP rejects the association
   * @throws PduException when the SCP answers something else or aborts
   */
  public static StoreScu connect(
      String host,
      int port,
      String callingAe,
      String calledAe,
      List<ProposedContext> contexts,
      SSLContext tls,
      Duration timeout)
      throws IOException {
    Socket socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
    return connect(socket, host, port, callingAe, calledAe, contexts, timeout, timeout);
  }

  /**
   * Opens an association to {@code target}; over TLS the receiver's certificate must name its host
   * (HTTPS endpoint identification), as a browser would check it.
   */
  public static StoreScu connect(StoreTarget target, List<ProposedContext> contexts)
      throws IOException {
    Socket socket;
    if (target.tls() == null) {
      socket = new Socket();
    } else {
      SSLSocket ssl = (SSLSocket) target.tls().getSocketFactory().createSocket();
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(parameters);
      socket = ssl;
    }
    return connect(
        socket,
        target.host(),
        target.port(),
        target.callingAe(),
        target.calledAe(),
        contexts,
        target.connectTimeout(),
        target.readTimeout());
  }

  private static StoreScu connect(
      Socket socket,
      String host,
      int port,
      String callingAe,
      String calledAe,
      List<ProposedContext> contexts,
      Duration connectTimeout,
      Duration readTimeout)
      throws IOException {
    try {
      socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      socket.setSoTimeout((int) readTimeout.toMillis());
      AssociateRequest rq =
          new AssociateRequest(
              1,
              calledAe,
              callingAe,
              Pdu.APPLICATION_CONTEXT,
              contexts,
              new UserInformation(
                  MAX_PDU, Part10.IMPLEMENTATION_CLASS_UID, Part10.IMPLEMENTATION_VERSION_NAME));
      OutputStream raw = socket.getOutputStream();
      raw.write(PduCodec.encode(rq));
      raw.flush();
      Pdu answer = PduCodec.read(socket.getInputStream(), MAX_PDU);
      if (answer instanceof AssociateReject rj) {
        throw new RejectedException(rj);
      }
      if (!(answer instanceof AssociateAccept ac)) {
        throw new PduException(PduReason.UNEXPECTED_PDU, "answer to A-ASSOCIATE-RQ: " + answer);
      }
      return new StoreScu(socket, ac, contexts);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** A proposed context. */
  public static ProposedContext context(int id, String abstractSyntax, String... transferSyntaxes) {
    return new ProposedContext(id, abstractSyntax, List.of(transferSyntaxes));
  }

  public AssociateAccept accept() {
    return accept;
  }

  /** The accepted context for this abstract syntax and transfer syntax. */
  public Optional<ContextResult> accepted(String abstractSyntax, String transferSyntax) {
    for (ContextResult result : accept.contexts()) {
      ProposedContext pc = proposal(result.id());
      if (result.accepted()
          && pc != null
          && pc.abstractSyntax().equals(abstractSyntax)
          && result.transferSyntax().equals(transferSyntax)) {
        return Optional.of(result);
      }
    }
    return Optional.empty();
  }

  private ProposedContext proposal(int id) {
    return proposed.stream().filter(p -> p.id() == id).findFirst().orElse(null);
  }

  /** C-ECHO on the accepted Verification context. */
  public Response echo() throws IOException {
    ContextResult context =
        accept.contexts().stream()
            .filter(
                c ->
                    c.accepted()
                        && StoreScpConfig.VERIFICATION.equals(proposal(c.id()).abstractSyntax()))
            .findFirst()
            .orElseThrow(() -> new IOException("no accepted Verification context"));
    DimseCommand rq =
        DimseCommand.request(
            DimseCommand.C_ECHO_RQ, ++messageId, StoreScpConfig.VERIFICATION, null, false);
    sendCommand(context.id(), rq.encode());
    return readResponse();
  }

  /**
   * C-STORE of a Part 10 file, its data set sent as it is in the file.
   *
   * @throws IOException when no accepted context fits the file's SOP class and transfer syntax
   */
  public Response store(byte[] part10) throws IOException {
    DicomFile file;
    try {
      file = new DicomReader().readFile(part10);
    } catch (DicomException e) {
      throw new IOException("not a readable Part 10 file: " + e.getMessage(), e);
    }
    String sopClass = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID);
    String sopInstance = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID);
    String ts = file.transferSyntax().uid();
    ContextResult context =
        accepted(sopClass, ts)
            .orElseThrow(
                () -> new IOException("no accepted context for " + sopClass + " in " + ts));
    DimseCommand rq =
        DimseCommand.request(DimseCommand.C_STORE_RQ, ++messageId, sopClass, sopInstance, true);
    sendCommand(context.id(), rq.encode());
    byte[] dataset = Arrays.copyOfRange(part10, datasetOffset(part10), part10.length);
    return storeDataset(context.id(), dataset);
  }

  /** Sends a data set on a context after its command was sent; for tests of odd messages. */
  public Response storeDataset(int contextId, byte[] dataset) throws IOException {
    int chunk = (int) Math.max(1, Math.min(MAX_PDU, peerMax()) - 6);
    int at = 0;
    do {
      int end = Math.min(dataset.length, at + chunk);
      send(
          new PData(
              List.of(
                  new Pdv(
                      contextId,
                      false,
                      end == dataset.length,
                      Arrays.copyOfRange(dataset, at, end)))));
      at = end;
    } while (at < dataset.length);
    return readResponse();
  }

  /** Sends a C-STORE-RQ command with explicit UIDs; for tests of odd messages. */
  public void sendStoreCommand(int contextId, String sopClass, String sopInstance)
      throws IOException {
    sendCommand(
        contextId,
        DimseCommand.request(DimseCommand.C_STORE_RQ, ++messageId, sopClass, sopInstance, true)
            .encode());
  }

  private long peerMax() {
    long max = accept.userInformation().maxPduLength();
    return max == 0 ? MAX_PDU : max;
  }

  /** Where the data set starts: after the preamble, DICM and the meta group its length says. */
  static int datasetOffset(byte[] part10) throws IOException {
    if (part10.length < 144 || part10[128] != 'D' || part10[131] != 'M') {
      throw new IOException("not a Part 10 file with preamble");
    }
    long length =
        (part10[140] & 0xFFL)
            | (part10[141] & 0xFFL) << 8
            | (part10[142] & 0xFFL) << 16
            | (part10[143] & 0xFFL) << 24;
    if (144 + length > part10.length) {
      throw new IOException("File Meta Information Group Length runs past the file");
    }
    return (int) (144 + length);
  }

  private void sendCommand(int contextId, byte[] command) throws IOException {
    send(new PData(List.of(new Pdv(contextId, true, true, command))));
  }

  /** Writes raw bytes on the association; for tests of broken peers. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private void send(Pdu pdu) throws IOException {
    sendRaw(PduCodec.encode(pdu));
  }

  /** Reads PDUs until a whole command set arrived; an A-ABORT is a {@link PduException}. */
  private Response readResponse() throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    while (true) {
      Pdu pdu = readPdu();
      if (!(pdu instanceof PData data)) {
        throw new PduException(PduReason.UNEXPECTED_PDU, "expected a response, got " + pdu);
      }
      for (Pdv pdv : data.pdvs()) {
        command.writeBytes(pdv.data());
        if (pdv.command() && pdv.last()) {
          DimseCommand rsp = DimseCommand.decode(command.toByteArray());
          return new Response(rsp.status(), rsp.errorComment());
        }
      }
    }
  }

  /** The next PDU from the SCP (null when it closed the connection). */
  public Pdu readPdu() throws IOException {
    return PduCodec.read(in, 16 << 20);
  }

  /** A-RELEASE-RQ, waits for A-RELEASE-RP, closes. */
  public void release() throws IOException {
    try {
      send(new Pdu.ReleaseRequest());
      Pdu answer = readPdu();
      if (!(answer instanceof Pdu.ReleaseResponse)) {
        throw new PduException(PduReason.UNEXPECTED_PDU, "expected A-RELEASE-RP, got " + answer);
      }
    } finally {
      socket.close();
    }
  }

  /** Sends A-ABORT and closes. */
  public void abort() throws IOException {
    try {
      send(new Pdu.Abort(Pdu.Abort.SOURCE_USER, 0));
    } finally {
      socket.close();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
