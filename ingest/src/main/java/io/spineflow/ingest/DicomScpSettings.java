package io.spineflow.ingest;

import io.spineflow.imaging.dicom.net.StoreScpConfig;
import io.spineflow.platform.Setting;
import java.util.List;

/**
 * The DICOM C-STORE SCP door's rows of the configuration table ({@code ingest.dicom.*} network
 * settings; {@link IngestSettings#all()} lists them after its own).
 */
public final class DicomScpSettings {
  private DicomScpSettings() {}

  public static final Setting PORT =
      new Setting(
          "ingest.dicom.port",
          "SPINEFLOW_INGEST_DICOM_PORT",
          "",
          "TCP port of the DICOM C-STORE SCP (scanners and PACS send MR series here), e.g. 11112"
              + " (104, the registered one, needs root); it listens on http.bind.address. Empty"
              + " disables the DICOM door.");
  public static final Setting AE_TITLES =
      new Setting(
          "ingest.dicom.ae.titles",
          "SPINEFLOW_INGEST_DICOM_AE_TITLES",
          "SPINEFLOW",
          "AE titles the SCP answers to (the senders' called AE title), comma-separated, 1-16"
              + " characters each; * answers to any. Another called title is rejected"
              + " (A-ASSOCIATE-RJ, called AE title not recognized).");
  public static final Setting CALLING_AE_TITLES =
      new Setting(
          "ingest.dicom.calling.ae.titles",
          "SPINEFLOW_INGEST_DICOM_CALLING_AE_TITLES",
          StoreScpConfig.ANY,
          "Allow-list of the senders' (calling) AE titles, comma-separated; * allows any. Another"
              + " sender is rejected (A-ASSOCIATE-RJ, calling AE title not recognized). Set it in"
              + " production: an AE title is the only identity plain DICOM has.");
  public static final Setting MAX_PDU_BYTES =
      new Setting(
          "ingest.dicom.max.pdu.bytes",
          "SPINEFLOW_INGEST_DICOM_MAX_PDU_BYTES",
          Integer.toString(64 << 10),
          "Maximum PDU length the SCP announces and accepts ("
              + StoreScpConfig.MIN_PDU_LENGTH
              + "-"
              + StoreScpConfig.MAX_PDU_LENGTH
              + "); a longer PDU aborts the association.");
  public static final Setting MAX_ASSOCIATIONS =
      new Setting(
          "ingest.dicom.max.associations",
          "SPINEFLOW_INGEST_DICOM_MAX_ASSOCIATIONS",
          "8",
          "Associations served at once; one more is rejected as transient (local limit exceeded),"
              + " so the sender retries. Memory: up to this many times"
              + " ingest.dicom.max.instance.bytes.");
  public static final Setting MAX_INSTANCE_BYTES =
      new Setting(
          "ingest.dicom.max.instance.bytes",
          "SPINEFLOW_INGEST_DICOM_MAX_INSTANCE_BYTES",
          Integer.toString(128 << 20),
          "Largest data set of one C-STORE; a larger one is answered A700 (out of resources) and"
              + " dead-lettered as INSTANCE_TOO_LARGE, and the association goes on.");
  public static final Setting ARTIM_TIMEOUT =
      new Setting(
          "ingest.dicom.artim.timeout",
          "SPINEFLOW_INGEST_DICOM_ARTIM_TIMEOUT",
          "30s",
          "ARTIM timer: longest wait for the A-ASSOCIATE-RQ after a connection (TLS handshake"
              + " included) and for the sender to close after a release or rejection.");
  public static final Setting IDLE_TIMEOUT =
      new Setting(
          "ingest.dicom.idle.timeout",
          "SPINEFLOW_INGEST_DICOM_IDLE_TIMEOUT",
          "60s",
          "Longest silence within an association before the SCP aborts it.");
  public static final Setting TLS =
      new Setting(
          "ingest.dicom.tls",
          "SPINEFLOW_INGEST_DICOM_TLS",
          "false",
          "true: the DICOM port speaks only TLS 1.3/1.2 (DICOM TLS, PS3.15 B.1), with the"
              + " certificate and key of http.tls.keystore (or http.tls.cert and http.tls.key);"
              + " a plain connection fails its handshake.");
  public static final Setting TLS_CLIENT_CA =
      new Setting(
          "ingest.dicom.tls.client.ca",
          "SPINEFLOW_INGEST_DICOM_TLS_CLIENT_CA",
          "",
          "With ingest.dicom.tls: a PEM file of the CA certificates (or self-signed sender"
              + " certificates) that sign the senders' certificates; each sender must then present"
              + " one (mutual TLS). Empty: no client certificate is asked for.");

  /** Every DICOM door setting, in README order. */
  public static List<Setting> all() {
    return List.of(
        PORT,
        AE_TITLES,
        CALLING_AE_TITLES,
        MAX_PDU_BYTES,
        MAX_ASSOCIATIONS,
        MAX_INSTANCE_BYTES,
        ARTIM_TIMEOUT,
        IDLE_TIMEOUT,
        TLS,
        TLS_CLIENT_CA);
  }
}
