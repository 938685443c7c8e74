package io.spineflow.delivery;

import io.spineflow.platform.Setting;
import java.util.List;

/**
 * delivery's rows of the configuration table. Both targets are optional; with neither the service
 * runs idle and says so in {@code /health}.
 */
public final class DeliverySettings {
  private DeliverySettings() {}

  public static final Setting STOW_URL =
      new Setting(
          "delivery.stow.url",
          "SPINEFLOW_DELIVERY_STOW_URL",
          "",
          "DICOMweb service root to STOW-RS each study's Segmentation to (POST <url>/studies), e.g."
              + " https://pacs.example/dicom-web; empty: no STOW-RS delivery.");
  public static final Setting STOW_TOKEN =
      new Setting(
          "delivery.stow.token",
          "SPINEFLOW_DELIVERY_STOW_TOKEN",
          "",
          "Bearer token sent with each STOW-RS request; empty: none.");
  public static final Setting DICOM_HOST =
      new Setting(
          "delivery.dicom.host",
          "SPINEFLOW_DELIVERY_DICOM_HOST",
          "",
          "Host of the PACS (C-STORE SCP) to send each study's Segmentation to; empty: no C-STORE"
              + " delivery.");
  public static final Setting DICOM_PORT =
      new Setting(
          "delivery.dicom.port",
          "SPINEFLOW_DELIVERY_DICOM_PORT",
          "104",
          "Port of the PACS's DICOM service.");
  public static final Setting DICOM_CALLING_AE =
      new Setting(
          "delivery.dicom.calling.ae",
          "SPINEFLOW_DELIVERY_DICOM_CALLING_AE",
          "SPINEFLOW",
          "Our AE title in the association (the PACS usually lists the senders it accepts).");
  public static final Setting DICOM_CALLED_AE =
      new Setting(
          "delivery.dicom.called.ae",
          "SPINEFLOW_DELIVERY_DICOM_CALLED_AE",
          "ANY-SCP",
          "The PACS's AE title.");
  public static final Setting DICOM_TLS =
      new Setting(
          "delivery.dicom.tls",
          "SPINEFLOW_DELIVERY_DICOM_TLS",
          "false",
          "true: the DICOM port speaks TLS (the DICOM TLS profile); the PACS's certificate must"
              + " name delivery.dicom.host and be signed by a CA the JDK or delivery.tls.ca trusts.");
  public static final Setting TLS_CA =
      new Setting(
          "delivery.tls.ca",
          "SPINEFLOW_DELIVERY_TLS_CA",
          "",
          "PEM file of a private CA (or the receiver's certificate) trusted for both targets'"
              + " TLS, besides the JDK's CAs; empty: the JDK's CAs only.");
  public static final Setting CONNECT_TIMEOUT =
      new Setting(
          "delivery.connect.timeout",
          "SPINEFLOW_DELIVERY_CONNECT_TIMEOUT",
          "10s",
          "Limit of one attempt's TCP connection (and TLS handshake) to a target.");
  public static final Setting READ_TIMEOUT =
      new Setting(
          "delivery.read.timeout",
          "SPINEFLOW_DELIVERY_READ_TIMEOUT",
          "60s",
          "Limit of one attempt's wait for each answer (A-ASSOCIATE-AC, C-STORE-RSP; the whole"
              + " STOW-RS response).");
  public static final Setting ATTEMPTS =
      new Setting(
          "delivery.attempts",
          "SPINEFLOW_DELIVERY_ATTEMPTS",
          "8",
          "Attempts per study and target (1-100) before its failure is dead-lettered; a refusal a"
              + " retry cannot change (a 4xx, a refused SOP class) is dead-lettered at once.");
  public static final Setting BACKOFF_INITIAL =
      new Setting(
          "delivery.backoff.initial",
          "SPINEFLOW_DELIVERY_BACKOFF_INITIAL",
          "2s",
          "Wait after the first failed attempt; doubled after each further one.");
  public static final Setting BACKOFF_MAX =
      new Setting(
          "delivery.backoff.max",
          "SPINEFLOW_DELIVERY_BACKOFF_MAX",
          "2m",
          "Longest wait between two attempts.");
  public static final Setting BLOB_DIR =
      new Setting(
          "delivery.blob.dir",
          "SPINEFLOW_DELIVERY_BLOB_DIR",
          "",
          "The blob store directory results writes Segmentations to, when blobstore.type=file"
              + " (nothing is shared with s3); empty means <data.dir>/claims, the shared claim-check"
              + " directory.");

  public static List<Setting> all() {
    return List.of(
        STOW_URL,
        STOW_TOKEN,
        DICOM_HOST,
        DICOM_PORT,
        DICOM_CALLING_AE,
        DICOM_CALLED_AE,
        DICOM_TLS,
        TLS_CA,
        CONNECT_TIMEOUT,
        READ_TIMEOUT,
        ATTEMPTS,
        BACKOFF_INITIAL,
        BACKOFF_MAX,
        BLOB_DIR);
  }
}
