package io.spineflow.dashboard;

import io.spineflow.platform.Setting;
import java.util.List;

/**
 * The dashboard's rows of the configuration table (after {@link
 * io.spineflow.platform.CommonSettings}).
 */
public final class DashboardSettings {
  private DashboardSettings() {}

  public static final Setting VIEWER_TOKEN =
      new Setting(
          "dashboard.viewer.token",
          "SPINEFLOW_DASHBOARD_VIEWER_TOKEN",
          "",
          "Token that opens the dashboard's page, API and images, at least "
              + DashboardConfig.MIN_TOKEN_LENGTH
              + " characters: API clients send Authorization: Bearer TOKEN; a browser signs in"
              + " once (the sign-in form, or a /?token=TOKEN link) and keeps a cookie holding a"
              + " hash of it. Required: the dashboard refuses to start without it. Never logged.");
  public static final Setting OPERATOR_TOKEN =
      new Setting(
          "dashboard.operator.token",
          "SPINEFLOW_OPERATOR_TOKEN",
          "",
          "Bearer token the \"Retrain now\" action must carry, at least "
              + DashboardConfig.MIN_TOKEN_LENGTH
              + " characters; compared in constant time and never logged. Empty disables the"
              + " action (the page says so).");
  public static final Setting MODEL_NAME =
      new Setting(
          "dashboard.model.name",
          "SPINEFLOW_DASHBOARD_MODEL_NAME",
          "spine-unet",
          "Model a \"Retrain now\" request names when no model has been announced yet.");
  public static final Setting WINDOW =
      new Setting(
          "dashboard.window",
          "SPINEFLOW_DASHBOARD_WINDOW",
          "1m",
          "Size of the tumbling windows of every chart (Dice, signals, throughput, latency,"
              + " dead letters).");
  public static final Setting GRACE =
      new Setting(
          "dashboard.window.grace",
          "SPINEFLOW_DASHBOARD_WINDOW_GRACE",
          "5m",
          "How late (event time) a record may arrive and still count in its window.");
  public static final Setting RETENTION =
      new Setting(
          "dashboard.retention",
          "SPINEFLOW_DASHBOARD_RETENTION",
          "6h",
          "How long windows are kept (bounds the windowed stores and their changelogs).");
  public static final Setting CHART_SPAN =
      new Setting(
          "dashboard.chart.span",
          "SPINEFLOW_DASHBOARD_CHART_SPAN",
          "1h",
          "Time span the page shows by default.");
  public static final Setting REFRESH =
      new Setting(
          "dashboard.refresh",
          "SPINEFLOW_DASHBOARD_REFRESH",
          "2s",
          "How often the page polls for new data.");
  public static final Setting GALLERY_SIZE =
      new Setting(
          "dashboard.gallery.size",
          "SPINEFLOW_DASHBOARD_GALLERY_SIZE",
          "12",
          "Slices the gallery shows: the worst (lowest Dice; unlabelled ones by confidence)"
              + " seen within the gallery horizon.");
  public static final Setting GALLERY_HORIZON =
      new Setting(
          "dashboard.gallery.horizon",
          "SPINEFLOW_DASHBOARD_GALLERY_HORIZON",
          "15m",
          "A gallery slice older than this (event time) is the first to make room for a new one,"
              + " so the gallery stays recent.");
  public static final Setting GALLERY_PENDING_MAX =
      new Setting(
          "dashboard.gallery.pending.max",
          "SPINEFLOW_DASHBOARD_GALLERY_PENDING_MAX",
          "256",
          "Slices per partition held (8-bit) while waiting for their mask and quality; the oldest"
              + " is dropped beyond it.");
  public static final Setting RECENT_MAX =
      new Setting(
          "dashboard.recent.max",
          "SPINEFLOW_DASHBOARD_RECENT_MAX",
          "50",
          "Recent dead letters kept per partition, and twice that many model timeline entries.");
  public static final Setting STUDIES_MAX =
      new Setting(
          "dashboard.studies.max",
          "SPINEFLOW_DASHBOARD_STUDIES_MAX",
          "1000",
          "Study results (`segmentations`, the latest per study) kept per partition for the study"
              + " pages; the oldest completed is dropped beyond it.");
  public static final Setting BLOBS_DIR =
      new Setting(
          "dashboard.blobs.dir",
          "SPINEFLOW_DASHBOARD_BLOBS_DIR",
          "",
          "The file blob store the study pages' downloads (label volume, DICOM SEG) are read from"
              + " when blobstore.type=file; empty means <data.dir>/claims (ingest's default"
              + " ingest.claims.dir). With s3 the bucket is read and this is only a spool.");
  public static final Setting DICE_MARGIN =
      new Setting(
          "dashboard.drift.dice.margin",
          "SPINEFLOW_DASHBOARD_DRIFT_DICE_MARGIN",
          "0.05",
          "Dice alert: a class's rolling Dice below the live model's validation Dice minus this.");
  public static final Setting DICE_WINDOW =
      new Setting(
          "dashboard.drift.dice.window",
          "SPINEFLOW_DASHBOARD_DRIFT_DICE_WINDOW",
          "50",
          "Dice alert: labelled slices (with the class defined) in the rolling mean; no verdict"
              + " before it is full.");
  public static final Setting REFERENCE_SIZE =
      new Setting(
          "dashboard.drift.reference.size",
          "SPINEFLOW_DASHBOARD_DRIFT_REFERENCE_SIZE",
          "200",
          "Label-free drift: the first this-many slices of a model version are its reference.");
  public static final Setting WINDOW_SIZE =
      new Setting(
          "dashboard.drift.window.size",
          "SPINEFLOW_DASHBOARD_DRIFT_WINDOW_SIZE",
          "300",
          "Label-free drift: the latest this-many slices are compared with the reference.");
  public static final Setting MIN_WINDOW =
      new Setting(
          "dashboard.drift.window.min",
          "SPINEFLOW_DASHBOARD_DRIFT_WINDOW_MIN",
          "200",
          "Label-free drift: slices after the reference before any verdict.");
  public static final Setting PSI_THRESHOLD =
      new Setting(
          "dashboard.drift.psi.threshold",
          "SPINEFLOW_DASHBOARD_DRIFT_PSI_THRESHOLD",
          "0.25",
          "Label-free drift: a signal drifted when its PSI against the reference exceeds this (0.25:"
              + " a significant shift) and its KS test rejects.");
  public static final Setting KS_ALPHA =
      new Setting(
          "dashboard.drift.ks.alpha",
          "SPINEFLOW_DASHBOARD_DRIFT_KS_ALPHA",
          "0.001",
          "Label-free drift: a signal drifted when its two-sample Kolmogorov-Smirnov p-value is"
              + " below this (small, since the test is repeated every few slices) and its PSI is"
              + " above the threshold.");
  public static final Setting MIN_DRIFTED_SIGNALS =
      new Setting(
          "dashboard.drift.min.signals",
          "SPINEFLOW_DASHBOARD_DRIFT_MIN_SIGNALS",
          "3",
          "Label-free drift alert: at least this many signals drifted at once (one or two alone"
              + " are too often the mix of patients).");
  public static final Setting EVALUATE_EVERY =
      new Setting(
          "dashboard.drift.evaluate.every",
          "SPINEFLOW_DASHBOARD_DRIFT_EVALUATE_EVERY",
          "10",
          "Label-free drift is re-tested every this-many slices.");
  public static final Setting RETRAIN_ON_ALERT =
      new Setting(
          "dashboard.drift.retrain",
          "SPINEFLOW_DASHBOARD_DRIFT_RETRAIN",
          "true",
          "Publish a retrain request (origin DRIFT_ALERT) when an alert is raised: at most one"
              + " per model version and alert kind.");

  public static final Setting ADVERTISED_URL =
      new Setting(
          "dashboard.advertised.url",
          "SPINEFLOW_DASHBOARD_ADVERTISED_URL",
          "",
          "Where the other dashboard instances reach this one (scheme://host:port of http.port,"
              + " e.g. https://dashboard-0.dashboard-peers:8080; https when http.tls.* is set)."
              + " Set it on every instance to run two or more: each then answers every request"
              + " completely, fetching the store partitions it does not hold from the instance"
              + " that does (with the viewer token). Empty: one instance, answering from its own"
              + " stores.");
  public static final Setting PEER_TRUST =
      new Setting(
          "dashboard.peer.trust",
          "SPINEFLOW_DASHBOARD_PEER_TRUST",
          "",
          "A PEM file of certificates (a private CA) to trust for the other instances' HTTPS,"
              + " beside the JDK's CAs and this instance's own certificate chain (enough when all"
              + " instances share one certificate).");

  /** Every dashboard setting, in README order. */
  public static List<Setting> all() {
    return List.of(
        VIEWER_TOKEN,
        OPERATOR_TOKEN,
        MODEL_NAME,
        WINDOW,
        GRACE,
        RETENTION,
        CHART_SPAN,
        REFRESH,
        GALLERY_SIZE,
        GALLERY_HORIZON,
        GALLERY_PENDING_MAX,
        RECENT_MAX,
        STUDIES_MAX,
        BLOBS_DIR,
        DICE_MARGIN,
        DICE_WINDOW,
        REFERENCE_SIZE,
        WINDOW_SIZE,
        MIN_WINDOW,
        PSI_THRESHOLD,
        KS_ALPHA,
        MIN_DRIFTED_SIGNALS,
        EVALUATE_EVERY,
        RETRAIN_ON_ALERT,
        ADVERTISED_URL,
        PEER_TRUST);
  }
}
