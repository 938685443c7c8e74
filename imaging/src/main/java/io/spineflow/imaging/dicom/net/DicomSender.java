package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.DicomException;
import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.DicomWriter;
import io.spineflow.imaging.dicom.TransferSyntax;
import io.spineflow.imaging.dicom.net.Pdu.ContextResult;
import io.spineflow.imaging.dicom.net.StoreFailure.Reason;
import io.spineflow.imaging.dicom.net.StoreScu.RejectedException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Sends one Part 10 file to a C-STORE receiver over one association and says what became of it:
 * stored ({@link StoreOutcome}, success or a warning) or not ({@link StoreFailure}, with a reason
 * that says whether a retry can help). The sending half of {@code dicom.net}, on the same PDU and
 * DIMSE code as the {@link StoreScp}.
 *
 * <p>Negotiation: one presentation context for the file's SOP class; a file in Explicit VR Little
 * Endian proposes it first and Implicit VR Little Endian second (the default syntax every receiver
 * must take, PS3.5 10.1), any other file only its own syntax. When the receiver takes only Implicit
 * VR, the data set is re-encoded (same elements, same values; only the VR fields go); otherwise it
 * is sent byte for byte as it is in the file.
 */
public final class DicomSender {
  private static final int CONTEXT_ID = 1;

  private DicomSender() {}

  /**
   * A-ASSOCIATE, C-STORE, A-RELEASE.
   *
   * @throws StoreFailure when the instance was not stored, with its reason and the status if any
   */
  public static StoreOutcome send(StoreTarget target, byte[] part10) throws StoreFailure {
    DicomFile file = read(part10);
    String sopClass = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID);
    String sopInstance = file.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID);
    String fileSyntax = file.transferSyntax().uid();
    List<String> offered =
        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.equals(fileSyntax)
            ? List.of(fileSyntax, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
            : List.of(fileSyntax);
    try (StoreScu scu = open(target, new Pdu.ProposedContext(CONTEXT_ID, sopClass, offered))) {
      String syntax = acceptedSyntax(scu, sopClass, offered);
      byte[] dataset = dataset(part10, file, fileSyntax, syntax);
      StoreScu.Response response;
      try {
        scu.sendStoreCommand(CONTEXT_ID, sopClass, sopInstance);
        response = scu.storeDataset(CONTEXT_ID, dataset);
      } catch (PduException e) {
        throw new StoreFailure(Reason.PROTOCOL_ERROR, -1, e.getMessage(), e);
      } catch (IOException e) {
        throw new StoreFailure(Reason.CONNECTION_FAILED, -1, e.toString(), e);
      }
      releaseQuietly(scu);
      return outcome(sopInstance, syntax, response);
    } catch (IOException e) {
      throw e instanceof StoreFailure f
          ? f
          : new StoreFailure(Reason.CONNECTION_FAILED, -1, e.toString(), e);
    }
  }

  /**
   * A-ASSOCIATE proposing Verification, C-ECHO, A-RELEASE: whether the receiver answers at all.
   *
   * @return the C-ECHO-RSP status (0000 when it is there)
   */
  public static int echo(StoreTarget target) throws StoreFailure {
    Pdu.ProposedContext verification =
        new Pdu.ProposedContext(
            CONTEXT_ID,
            StoreScpConfig.VERIFICATION,
            List.of(
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
    try (StoreScu scu = open(target, verification)) {
      acceptedSyntax(scu, StoreScpConfig.VERIFICATION, verification.transferSyntaxes());
      int status = scu.echo().status();
      releaseQuietly(scu);
      return status;
    } catch (PduException e) {
      throw new StoreFailure(Reason.PROTOCOL_ERROR, -1, e.getMessage(), e);
    } catch (IOException e) {
      throw e instanceof StoreFailure f
          ? f
          : new StoreFailure(Reason.CONNECTION_FAILED, -1, e.toString(), e);
    }
  }

  private static DicomFile read(byte[] part10) throws StoreFailure {
    try {
      DicomFile file = new DicomReader().readFile(part10);
      StoreScu.datasetOffset(part10);
      if (file.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID) == null
          || file.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID) == null) {
        throw new StoreFailure(
            Reason.NOT_PART10, -1, "no Media Storage SOP Class/Instance UID in the meta", null);
      }
      return file;
    } catch (DicomException e) {
      throw new StoreFailure(Reason.NOT_PART10, -1, e.getMessage(), e);
    } catch (StoreFailure e) {
      throw e;
    } catch (IOException e) {
      throw new StoreFailure(Reason.NOT_PART10, -1, e.getMessage(), e);
    }
  }

  private static StoreScu open(StoreTarget target, Pdu.ProposedContext context)
      throws StoreFailure {
    try {
      return StoreScu.connect(target, List.of(context));
    } catch (RejectedException e) {
      boolean transientReject = e.reject().result() == Pdu.AssociateReject.TRANSIENT;
      throw new StoreFailure(
          transientReject ? Reason.ASSOCIATION_REJECTED_TRANSIENT : Reason.ASSOCIATION_REJECTED,
          -1,
          e.getMessage() + " by " + target.describe(),
          e);
    } catch (PduException e) {
      throw new StoreFailure(
          Reason.PROTOCOL_ERROR, -1, e.getMessage() + " from " + target.describe(), e);
    } catch (IOException e) {
      throw new StoreFailure(Reason.CONNECTION_FAILED, -1, target.describe() + ": " + e, e);
    }
  }

  /** The syntax the receiver took for our one context, or the failure of a refused context. */
  private static String acceptedSyntax(StoreScu scu, String sopClass, List<String> offered)
      throws StoreFailure {
    ContextResult result =
        scu.accept().contexts().stream().filter(c -> c.id() == CONTEXT_ID).findFirst().orElse(null);
    if (result == null) {
      releaseQuietly(scu);
      throw new StoreFailure(
          Reason.PROTOCOL_ERROR, -1, "A-ASSOCIATE-AC without a result for context 1", null);
    }
    if (result.accepted() && offered.contains(result.transferSyntax())) {
      return result.transferSyntax();
    }
    releaseQuietly(scu);
    if (result.accepted()) {
      throw new StoreFailure(
          Reason.PROTOCOL_ERROR,
          -1,
          "the receiver accepted transfer syntax " + result.transferSyntax() + ", not proposed",
          null);
    }
    if (result.result() == ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED) {
      throw new StoreFailure(
          Reason.TRANSFER_SYNTAX_REFUSED,
          -1,
          "the receiver takes " + sopClass + " in none of " + offered,
          null);
    }
    throw new StoreFailure(
        Reason.SOP_CLASS_REFUSED,
        -1,
        "the receiver refused SOP class "
            + sopClass
            + " (presentation context result "
            + result.result()
            + ")",
        null);
  }

  /** The data set in {@code syntax}: as in the file, or re-encoded as Implicit VR LE. */
  private static byte[] dataset(byte[] part10, DicomFile file, String fileSyntax, String syntax)
      throws StoreFailure {
    try {
      if (syntax.equals(fileSyntax)) {
        return Arrays.copyOfRange(part10, StoreScu.datasetOffset(part10), part10.length);
      }
      return DicomWriter.encode(file.dataset(), false);
    } catch (IOException e) {
      throw new StoreFailure(Reason.NOT_PART10, -1, e.getMessage(), e);
    }
  }

  private static StoreOutcome outcome(String sopInstance, String syntax, StoreScu.Response rsp)
      throws StoreFailure {
    if (StoreOutcome.stored(rsp.status())) {
      return new StoreOutcome(sopInstance, rsp.status(), rsp.errorComment(), syntax);
    }
    Reason reason =
        (rsp.status() & 0xFF00) == 0xA700 ? Reason.OUT_OF_RESOURCES : Reason.STORE_FAILED;
    throw new StoreFailure(
        reason,
        rsp.status(),
        "C-STORE-RSP status "
            + StoreOutcome.hex(rsp.status())
            + (rsp.errorComment() == null ? "" : " (" + rsp.errorComment() + ")"),
        null);
  }

  /**
   * A-RELEASE; a receiver that does not answer it properly has already answered what mattered, so
   * the socket is closed either way (try-with-resources) and nothing is reported.
   */
  private static void releaseQuietly(StoreScu scu) {
    try {
      scu.release();
    } catch (IOException e) {
      // the outcome is already known; the socket is closed by release()'s finally
    }
  }
}
