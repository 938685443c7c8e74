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
}
