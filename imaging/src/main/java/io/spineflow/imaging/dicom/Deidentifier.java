package io.spineflow.imaging.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * De-identifies a DICOM instance after PS3.15 Annex E's Basic Application Level Confidentiality
 * Profile (actions in {@link DeidentificationAction}): patient, physician, institution and date
 * attributes removed, emptied or replaced by dummies; private attributes removed; Patient ID
 * replaced by a keyed pseudonym; every UID that is not a DICOM-defined one (1.2.840.10008...)
 * replaced, in sequences too, by {@code 2.25.<HMAC-SHA256(key, uid) truncated to 128 bits>}. The
 * replacements are deterministic under one key, so a re-sent instance gets the same pseudonyms and
 * references between instances still resolve; without the key they cannot be reversed. Pixel Data
 * and every geometry and pixel-description attribute are left as they were. Thread-safe.
 */
public final class Deidentifier {
  /** De-identification Method (0012,0063): LO, at most 64 characters. */
  public static final String METHOD = "PS3.15 E.1 Basic Application Level Confidentiality Profile";

  static final int PATIENT_ID = DicomTag.PATIENT_ID.tag();
  static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
  static final int DEIDENTIFICATION_METHOD = 0x00120063;
  static final int DEIDENTIFICATION_METHOD_CODE_SEQUENCE = 0x00120064;
  static final int LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = 0x00280303;
  private static final String DICOM_ROOT = "1.2.840.10008.";
  private static final java.util.regex.Pattern UID_SHAPE =
      java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+){3,}");

  private final byte[] key;
  private final DicomReader reader;

  /** One original value and what replaced it, for the operator's mapping file. */
  public record Pseudonym(String attribute, String original, String pseudonym) {}

  /**
   * A de-identified instance.
   *
   * @param bytes the Part 10 file
   * @param pseudonyms every original Patient ID and UID and its replacement, once each
   */
  public record Result(byte[] bytes, List<Pseudonym> pseudonyms) {
    public Result {
      pseudonyms = List.copyOf(pseudonyms);
    }
  }

  /**
   * @param key the operator's secret; the same key gives the same pseudonyms
   */
  public Deidentifier(byte[] key, DicomReader reader) {
    Objects.requireNonNull(key, "key");
    if (key.length == 0) {
      throw new IllegalArgumentException("the de-identification key is empty");
    }
    this.key = key.clone();
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** Reads a Part 10 file (or bare data set), de-identifies it and writes it again. */
  public Result deidentify(byte[] instance) throws DicomException {
    DicomFile file = reader.readFile(instance);
    Set<Pseudonym> pseudonyms = new LinkedHashSet<>();
    DataSet clean = clean(file.dataset(), pseudonyms);
    Map<Integer, DataElement> elements = new LinkedHashMap<>(clean.elements());
    addMarkers(elements);
    DataSet out = new DataSet(elements, file.dataset().bigEndian(), file.dataset().charset());
    return new Result(DicomWriter.write(out, file.transferSyntax()), new ArrayList<>(pseudonyms));
  }

  /** The pseudonymous UID for {@code uid}: 2.25 and the decimal of 128 bits of its HMAC. */
  public String uid(String uid) {
    byte[] mac = hmac("uid:" + uid);
    return "2.25." + new BigInteger(1, Arrays.copyOf(mac, 16));
  }

  /** The pseudonym for a Patient ID: "SF" and 80 bits of its HMAC in hex (22 characters). */
  public String patientId(String patientId) {
    byte[] mac = hmac("patient-id:" + patientId);
    return "SF" + HexFormat.of().withUpperCase().formatHex(mac, 0, 10);
  }

  private DataSet clean(DataSet in, Set<Pseudonym> pseudonyms) {
    Map<Integer, DataElement> out = new LinkedHashMap<>();
    for (DataElement e : in.elements().values()) {
      DataElement kept = cleanElement(in, e, pseudonyms);
      if (kept != null) {
        out.put(kept.tag(), kept);
      }
    }
    return new DataSet(out, in.bigEndian(), in.charset());
  }

  private DataElement cleanElement(DataSet in, DataElement e, Set<Pseudonym> pseudonyms) {
    int tag = e.tag();
    if ((tag >>> 16) % 2 == 1) {
      return null; // private attributes and their creators
    }
    DeidentificationAction action = DeidentificationAction.of(tag);
    if (action == DeidentificationAction.REMOVE) {
      return null;
    }
    if (action == DeidentificationAction.EMPTY) {
      return DataElement.ofValue(tag, e.vr(), null);
    }
    if (action == DeidentificationAction.DUMMY) {
      VR vr = e.vr() == VR.UN ? DeidentificationAction.dummyVr(tag) : e.vr();
      return DataElement.ofValue(tag, e.vr(), DicomWriter.text(dummy(vr), vr));
    }
    if (tag == PATIENT_ID) {
      String original = text(in, e);
      if (original == null) {
        return e;
      }
      String pseudonym = patientId(original);
      pseudonyms.add(new Pseudonym("PatientID", original, pseudonym));
      return DataElement.ofValue(tag, e.vr(), DicomWriter.text(pseudonym, e.vr()));
    }
    List<DataSet> sequence = e.items();
    if (e.vr() == VR.UN && looksLikeSequence(e.value())) {
      try {
        sequence = DatasetParser.implicitItems(e.value(), tag, reader.limits());
      } catch (DicomException unreadable) {
        return null; // an opaque sequence might hold anything: it goes
      }
    }
    if (!sequence.isEmpty()) {
      List<DataSet> items = new ArrayList<>();
      for (DataSet item : sequence) {
        items.add(clean(item, pseudonyms));
      }
      return DataElement.ofItems(tag, VR.SQ, items);
    }
    if (e.vr() == VR.UI || action == DeidentificationAction.UID || looksLikeUid(e)) {
      return replaceUids(in, e, pseudonyms);
    }
    return e;
  }

  private DataElement replaceUids(DataSet in, DataElement e, Set<Pseudonym> pseudonyms) {
    String value = text(in, e);
    if (value == null) {
      return e;
    }
    String[] uids = value.split("\\\\", -1);
    for (int i = 0; i < uids.length; i++) {
      String original = uids[i].strip();
      if (!original.isEmpty() && !original.startsWith(DICOM_ROOT)) {
        uids[i] = uid(original);
        pseudonyms.add(new Pseudonym(DicomTag.field(e.tag()), original, uids[i]));
      }
    }
    return DataElement.ofValue(e.tag(), VR.UI, DicomWriter.text(String.join("\\", uids), VR.UI));
  }

  /** A value that starts with an item tag (FFFE,E000) in little endian: a sequence's items. */
  private static boolean looksLikeSequence(byte[] value) {
    return value.length >= 8
        && value[0] == (byte) 0xFE
        && value[1] == (byte) 0xFF
        && value[2] == 0x00
        && value[3] == (byte) 0xE0;
  }

  /**
   * An implicit VR value of unknown VR that has a UID's shape (digits and at least three dots,
   * NUL-padded): replaced like a UI, so no UID escapes for want of a dictionary entry.
   */
  private static boolean looksLikeUid(DataElement e) {
    if (e.vr() != VR.UN || e.value().length < 8 || e.value().length > 64) {
      return false;
    }
    String s = new String(e.value(), StandardCharsets.ISO_8859_1).replace("\0", "");
    return UID_SHAPE.matcher(s).matches();
  }

  private static String text(DataSet in, DataElement e) {
    String s = new String(e.value(), in.charset()).replace("\0", "").strip();
    return s.isEmpty() ? null : s;
  }

  /** A dummy value valid for the VR (dates and times at 1900-01-01 00:00). */
  private static String dummy(VR vr) {
    return switch (vr) {
      case DA -> "19000101";
      case TM -> "000000";
      case DT -> "19000101000000";
      default -> "ANONYMIZED";
    };
  }

  /** Patient Identity Removed, the method and its code (113100, DCM), dates modified. */
  private static void addMarkers(Map<Integer, DataElement> elements) {
    elements.put(
        PATIENT_IDENTITY_REMOVED,
        DataElement.ofValue(PATIENT_IDENTITY_REMOVED, VR.CS, DicomWriter.text("YES", VR.CS)));
    elements.put(
        DEIDENTIFICATION_METHOD,
        DataElement.ofValue(DEIDENTIFICATION_METHOD, VR.LO, DicomWriter.text(METHOD, VR.LO)));
    Map<Integer, DataElement> code = new LinkedHashMap<>();
    code.put(0x00080100, DataElement.ofValue(0x00080100, VR.SH, DicomWriter.text("113100", VR.SH)));
    code.put(0x00080102, DataElement.ofValue(0x00080102, VR.SH, DicomWriter.text("DCM", VR.SH)));
    code.put(
        0x00080104,
        DataElement.ofValue(
            0x00080104,
            VR.LO,
            DicomWriter.text("Basic Application Confidentiality Profile", VR.LO)));
    DataSet item = new DataSet(code, false, StandardCharsets.ISO_8859_1);
    elements.put(
        DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
        DataElement.ofItems(DEIDENTIFICATION_METHOD_CODE_SEQUENCE, VR.SQ, List.of(item)));
    elements.put(
        LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
        DataElement.ofValue(
            LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, VR.CS, DicomWriter.text("REMOVED", VR.CS)));
  }

  private byte[] hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
