package io.spineflow.imaging.dicom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transfer syntax: how the data set is encoded (the part every syntax shares with one of four
 * encodings) and how its pixels are, with the {@link ReasonCode} for the pixel encodings spineflow
 * refuses. Every standard UID (PS3.6 table A-1, retired ones included) is known, so a refusal can
 * name the syntax.
 *
 * @param refusal null when spineflow decodes the pixels
 */
public record TransferSyntax(
    String uid, String name, DatasetEncoding encoding, PixelEncoding pixels, ReasonCode refusal) {

  /** How the data set's elements are written. */
  public enum DatasetEncoding {
    IMPLICIT_LITTLE_ENDIAN,
    EXPLICIT_LITTLE_ENDIAN,
    /** Explicit VR little endian, then raw deflate (RFC 1951) after the file meta group. */
    DEFLATED_EXPLICIT_LITTLE_ENDIAN,
    EXPLICIT_BIG_ENDIAN
  }

  /** How Pixel Data is written. */
  public enum PixelEncoding {
    NATIVE,
    RLE,
    /** JPEG Lossless, process 14 (any predictor; selection value 1 in .4.70). */
    JPEG_LOSSLESS,
    /** Encapsulated in a form spineflow does not decode: see {@link #refusal()}. */
    REFUSED
  }

  public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
  public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
  public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
  public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";
  public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
  public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

  private static final Map<String, TransferSyntax> KNOWN = new LinkedHashMap<>();

  static {
    DatasetEncoding explicit = DatasetEncoding.EXPLICIT_LITTLE_ENDIAN;
    add(
        IMPLICIT_VR_LITTLE_ENDIAN,
        "Implicit VR Little Endian",
        DatasetEncoding.IMPLICIT_LITTLE_ENDIAN);
    add(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian", explicit);
    add(
        DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
        "Deflated Explicit VR Little Endian",
        DatasetEncoding.DEFLATED_EXPLICIT_LITTLE_ENDIAN);
    add(EXPLICIT_VR_BIG_ENDIAN, "Explicit VR Big Endian", DatasetEncoding.EXPLICIT_BIG_ENDIAN);
    KNOWN.put(
        RLE_LOSSLESS,
        new TransferSyntax(RLE_LOSSLESS, "RLE Lossless", explicit, PixelEncoding.RLE, null));
    refuseJpeg();
    refuse("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", ReasonCode.JPEG_LS_UNSUPPORTED);
    refuse("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", ReasonCode.JPEG_LS_UNSUPPORTED);
    refuseJpeg2000();
    refuseVideo();
    refuse(
        "1.2.840.10008.1.2.8.1",
        "Deflated Image Frame Compression",
        ReasonCode.DEFLATED_IMAGE_FRAMES_UNSUPPORTED);
    refuse(
        "1.2.840.10008.1.2.1.98",
        "Encapsulated Uncompressed Explicit VR Little Endian",
        ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX);
    refuseOthers();
  }

  private static void add(String uid, String name, DatasetEncoding encoding) {
    KNOWN.put(uid, new TransferSyntax(uid, name, encoding, PixelEncoding.NATIVE, null));
  }

  private static void jpegLossless(String uid, String name) {
    DatasetEncoding explicit = DatasetEncoding.EXPLICIT_LITTLE_ENDIAN;
    KNOWN.put(uid, new TransferSyntax(uid, name, explicit, PixelEncoding.JPEG_LOSSLESS, null));
  }

  private static void refuse(String uid, String name, ReasonCode reason) {
    refuse(uid, name, DatasetEncoding.EXPLICIT_LITTLE_ENDIAN, reason);
  }

  private static void refuse(String uid, String name, DatasetEncoding encoding, ReasonCode reason) {
    KNOWN.put(uid, new TransferSyntax(uid, name, encoding, PixelEncoding.REFUSED, reason));
  }

  private static void refuseJpeg() {
    ReasonCode lossy = ReasonCode.JPEG_LOSSY_UNSUPPORTED;
    ReasonCode lossless = ReasonCode.JPEG_LOSSLESS_UNSUPPORTED;
    refuse("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", lossy);
    refuse("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", lossy);
    // Retired JPEG processes 3 and 5 to 13 (lossy), 15 to 29 (hierarchical, some lossless).
    String[] retiredLossy = {"52", "53", "54", "55", "56", "59", "60", "61", "62", "63", "64"};
    for (String n : retiredLossy) {
      refuse("1.2.840.10008.1.2.4." + n, "JPEG (retired lossy process, .4." + n + ")", lossy);
    }
    for (String n : new String[] {"58", "65", "66"}) {
      refuse("1.2.840.10008.1.2.4." + n, "JPEG Lossless (retired process, .4." + n + ")", lossless);
    }
    jpegLossless(JPEG_LOSSLESS, "JPEG Lossless, Non-Hierarchical (Process 14)");
    jpegLossless(
        JPEG_LOSSLESS_SV1,
        "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");
  }

  private static void refuseJpeg2000() {
    ReasonCode j2k = ReasonCode.JPEG_2000_UNSUPPORTED;
    refuse("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", j2k);
    refuse("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", j2k);
    refuse("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", j2k);
    refuse("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", j2k);
    ReasonCode ht = ReasonCode.HTJ2K_UNSUPPORTED;
    refuse("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", ht);
    refuse("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (Lossless Only)", ht);
    refuse("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", ht);
    ReasonCode jxl = ReasonCode.JPEG_XL_UNSUPPORTED;
    refuse("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", jxl);
    refuse("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", jxl);
    refuse("1.2.840.10008.1.2.4.112", "JPEG XL", jxl);
    ReasonCode jpip = ReasonCode.REFERENCED_PIXEL_DATA_UNSUPPORTED;
    DatasetEncoding deflated = DatasetEncoding.DEFLATED_EXPLICIT_LITTLE_ENDIAN;
    refuse("1.2.840.10008.1.2.4.94", "JPIP Referenced", jpip);
    refuse("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", deflated, jpip);
    refuse("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", jpip);
    refuse("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", deflated, jpip);
  }

  private static void refuseVideo() {
    String[][] video = {
      {"100", "MPEG2 Main Profile / Main Level"},
      {"100.1", "Fragmentable MPEG2 Main Profile / Main Level"},
      {"101", "MPEG2 Main Profile / High Level"},
      {"101.1", "Fragmentable MPEG2 Main Profile / High Level"},
      {"102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"},
      {"102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1"},
      {"103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"},
      {"103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"},
      {"104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"},
      {"104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"},
      {"105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"},
      {"105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"},
      {"106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"},
      {"106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"},
      {"107", "HEVC/H.265 Main Profile / Level 5.1"},
      {"108", "HEVC/H.265 Main 10 Profile / Level 5.1"}
    };
    for (String[] v : video) {
      refuse("1.2.840.10008.1.2.4." + v[0], v[1], ReasonCode.VIDEO_UNSUPPORTED);
    }
  }

  private static void refuseOthers() {
    ReasonCode other = ReasonCode.UNSUPPORTED_TRANSFER_SYNTAX;
    refuse("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation", other);
    refuse("1.2.840.10008.1.2.6.2", "XML Encoding", other);
    for (String n : new String[] {"10", "20", "30", "31", "40", "50"}) {
      refuse("1.2.840.10008.1.2.7." + n, "SMPTE ST 2110 stream (.7." + n + ")", other);
    }
  }

  /** The transfer syntax of {@code uid}, or null when the UID is not a standard one. */
  public static TransferSyntax of(String uid) {
    return KNOWN.get(uid);
  }

  /** Whether spineflow decodes this syntax's pixels. */
  public boolean decodable() {
    return refusal == null;
  }

  /** Whether Pixel Data is encapsulated in fragments rather than native. */
  public boolean encapsulated() {
    return pixels != PixelEncoding.NATIVE;
  }

  /** E.g. "1.2.840.10008.1.2.5 (RLE Lossless)". */
  public String describe() {
    return uid + " (" + name + ")";
  }
}
