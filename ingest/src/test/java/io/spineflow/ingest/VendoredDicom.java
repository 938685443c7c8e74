package io.spineflow.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real DICOM files vendored in the imaging module's test resources (see their {@code
 * ATTRIBUTION.md}), read in place: Maven runs ingest's tests in {@code ingest/}, so they are one
 * module over, inside the repository.
 */
final class VendoredDicom {
  static final Path DIR = Path.of("../imaging/src/test/resources/io/spineflow/imaging/dicom/files");

  /** The Series Instance UID of the dcm_qa sagittal T1 series (sag_t1_0001 … 0008). */
  static final String SAG_SERIES = "1.3.12.2.1107.5.2.43.67060.2022040715044210837860713.0.0.0";

  /** The Series Instance UID of the dcmqi ADC map (adc_axial_0001 … 0004). */
  static final String ADC_SERIES =
      "1.3.6.1.4.1.14519.5.2.1.3671.7001.261913302903961139526297576821";

  private VendoredDicom() {}

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sag_t1_000N.dcm for each N. */
  static byte[][] sagittal(int... numbers) {
    byte[][] out = new byte[numbers.length][];
    for (int i = 0; i < numbers.length; i++) {
      out[i] = bytes("sag_t1_000" + numbers[i] + ".dcm");
    }
    return out;
  }

  /** A patient name, ID and birth date no real file holds, to look for in logs and events. */
  static final String PATIENT_NAME = "ZQXW";

  static final String PATIENT_ID = "PX9917";
  static final String BIRTH_DATE = "19311224";

  /**
   * A copy of an explicit VR little-endian file whose Patient's Name, ID and Birth Date hold {@link
   * #PATIENT_NAME}, {@link #PATIENT_ID} and {@link #BIRTH_DATE} (each value rewritten in place, cut
   * or space-padded to its length, so nothing else moves).
   */
  static byte[] withPatient(byte[] file) {
    byte[] out = file.clone();
    overwrite(out, 0x0010, 0x0010, "PN", PATIENT_NAME);
    overwrite(out, 0x0010, 0x0020, "LO", PATIENT_ID);
    overwrite(out, 0x0010, 0x0030, "DA", BIRTH_DATE);
    return out;
  }

  /**
   * A copy of an explicit VR little-endian file whose Image Type (0008,0008) holds {@code value},
   * cut or space-padded to the original's length.
   */
  static byte[] withImageType(byte[] file, String value) {
    byte[] out = file.clone();
    overwrite(out, 0x0008, 0x0008, "CS", value);
    return out;
  }

  private static void overwrite(byte[] data, int group, int element, String vr, String value) {
    byte[] tag = {
      (byte) group,
      (byte) (group >> 8),
      (byte) element,
      (byte) (element >> 8),
      (byte) vr.charAt(0),
      (byte) vr.charAt(1)
    };
    for (int i = 132; i + 8 <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + 6, tag, 0, 6)) {
        int length = (data[i + 6] & 0xFF) | (data[i + 7] & 0xFF) << 8;
        byte[] text = value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int k = 0; k < length; k++) {
          data[i + 8 + k] = k < text.length ? text[k] : (byte) ' ';
        }
        return;
      }
    }
    throw new IllegalArgumentException("no " + vr + " element (" + group + "," + element + ")");
  }
}
