package io.spineflow.delivery;

import io.spineflow.imaging.dicom.net.DicomSender;
import io.spineflow.imaging.dicom.net.StoreFailure;
import io.spineflow.imaging.dicom.net.StoreOutcome;
import io.spineflow.imaging.dicom.net.StoreTarget;
import io.spineflow.platform.http.StowRsClient;
import java.util.List;

/** A receiver each study's Segmentation is sent to. */
interface Target {
  /** The setting that configures it: the "field" of its dead letters. */
  String setting();

  /** For logs and dead letters: kind and address, never a secret. */
  String describe();

  /**
   * One attempt.
   *
   * @return a remark on success (a C-STORE warning), or null
   */
  String send(byte[] part10) throws DeliveryFailure, InterruptedException;

  /** C-STORE to a PACS. */
  record Dicom(StoreTarget target) implements Target {
    @Override
    public String setting() {
      return DeliverySettings.DICOM_HOST.name();
    }

    @Override
    public String describe() {
      return "C-STORE " + target.describe();
    }

    @Override
    public String send(byte[] part10) throws DeliveryFailure {
      try {
        StoreOutcome outcome = DicomSender.send(target, part10);
        return outcome.warning()
            ? "stored with warning "
                + StoreOutcome.hex(outcome.status())
                + " "
                + outcome.errorComment()
            : null;
      } catch (StoreFailure e) {
        throw new DeliveryFailure(e.retryable(), e.getMessage(), e);
      }
    }
  }

  /** STOW-RS to a DICOMweb server. */
  record Stow(StowRsClient client) implements Target {
    @Override
    public String setting() {
      return DeliverySettings.STOW_URL.name();
    }

    @Override
    public String describe() {
      return "STOW-RS " + client.endpoint();
    }

    @Override
    public String send(byte[] part10) throws DeliveryFailure, InterruptedException {
      try {
        client.store(List.of(part10));
        return null;
      } catch (StowRsClient.StowException e) {
        throw new DeliveryFailure(e.retryable(), e.getMessage(), e);
      }
    }
  }
}
