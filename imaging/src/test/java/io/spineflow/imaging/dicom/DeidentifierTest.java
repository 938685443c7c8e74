package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * De-identification of the vendored real files (see ATTRIBUTION.md): nothing identifying left in
 * the bytes, pixels and geometry as they were, UIDs replaced deterministically and consistently.
 * {@link DeidentifiedFilesDcmtkTest} checks the output with other tools.
 */
class DeidentifierTest {
  static final byte[] KEY = "an operator's secret".getBytes(StandardCharsets.UTF_8);
  private static final DicomReader READER = new DicomReader();
  private static final Deidentifier DEIDENTIFIER = new Deidentifier(KEY, READER);

  /** Geometry and pixel description: must be byte for byte what the original holds. */
  static final List<DicomTag> KEPT =
      List.of(
          DicomTag.SOP_CLASS_UID,
          DicomTag.MODALITY,
          DicomTag.SERIES_DESCRIPTION,
          DicomTag.PROTOCOL_NAME,
          DicomTag.IMAGE_POSITION_PATIENT,
          DicomTag.IMAGE_ORIENTATION_PATIENT,
          DicomTag.PIXEL_SPACING,
          DicomTag.SLICE_THICKNESS,
          DicomTag.SPACING_BETWEEN_SLICES,
          DicomTag.ROWS,
          DicomTag.COLUMNS,
          DicomTag.BITS_ALLOCATED,
          DicomTag.BITS_STORED,
          DicomTag.HIGH_BIT,
          DicomTag.PIXEL_REPRESENTATION,
          DicomTag.PHOTOMETRIC_INTERPRETATION,
          DicomTag.RESCALE_INTERCEPT,
          DicomTag.RESCALE_SLOPE,
          DicomTag.NUMBER_OF_FRAMES,
          DicomTag.INSTANCE_NUMBER);

  static final List<DicomTag> IDENTIFYING =
      List.of(
          DicomTag.PATIENT_NAME,
          DicomTag.PATIENT_ID,
          DicomTag.STUDY_INSTANCE_UID,
          DicomTag.SERIES_INSTANCE_UID,
          DicomTag.SOP_INSTANCE_UID,
          DicomTag.FRAME_OF_REFERENCE_UID,
          DicomTag.ACCESSION_NUMBER);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sag_t1_0001.dcm",
        "sag_t1_0005.dcm",
        "enhanced_mr_6_1.dcm",
        "MR_small.dcm",
        "MR_small_RLE.dcm",
        "MR_small_deflated.dcm",
        "MR_small_implicit.dcm",
        "MR1_JPLL.dcm"
      })
  void pixelsAndGeometryAreKeptAndNothingIdentifyingIsLeft(String name) throws Exception {
    byte[] original = DicomFiles.bytes(name);
    DicomImage before = READER.read(original);
    Deidentifier.Result result = DEIDENTIFIER.deidentify(original);
    DicomImage after = READER.read(result.bytes());

    assertThat(after.frames()).hasSameSizeAs(before.frames());
    for (int f = 0; f < before.frames().size(); f++) {
      assertThat(after.frames().get(f).values()).isEqualTo(before.frames().get(f).values());
      assertThat(after.frames().get(f).attributes())
          .usingRecursiveComparison()
          .isEqualTo(before.frames().get(f).attributes());
    }
    for (DicomTag tag : KEPT) {
      assertThat(value(after.dataset(), tag))
          .as(tag.field())
          .isEqualTo(value(before.dataset(), tag));
    }
    assertThat(after.file().transferSyntax().encapsulated())
        .isEqualTo(before.file().transferSyntax().encapsulated());
    if (before.file().transferSyntax().uid().equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
      assertThat(after.file().transferSyntax().uid())
          .isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    String text = new String(result.bytes(), StandardCharsets.ISO_8859_1);
    for (String identifying : identifyingValues(before.dataset())) {
      assertThat(text).as("the de-identified bytes").doesNotContain(identifying);
    }
    assertThat(after.dataset().string(DicomTag.PATIENT_NAME)).isNull();
    assertThat(after.dataset().string(DicomTag.PATIENT_ID))
        .isEqualTo(DEIDENTIFIER.patientId(before.dataset().string(DicomTag.PATIENT_ID)));
    assertThat(after.dataset().string(DicomTag.SERIES_INSTANCE_UID))
        .isEqualTo(DEIDENTIFIER.uid(before.dataset().string(DicomTag.SERIES_INSTANCE_UID)))
        .startsWith("2.25.");
    assertThat(after.file().meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID))
        .isEqualTo(after.dataset().string(DicomTag.SOP_INSTANCE_UID));
    assertThat(after.dataset().elements()).containsKey(Deidentifier.PATIENT_IDENTITY_REMOVED);
    assertThat(after.dataset().elements().get(Deidentifier.PATIENT_IDENTITY_REMOVED).value())
        .isEqualTo("YES ".getBytes(StandardCharsets.US_ASCII));
    assertThat(
            items(
                after.dataset().elements().get(Deidentifier.DEIDENTIFICATION_METHOD_CODE_SEQUENCE)))
        .hasSize(1);
    assertNoPrivateAttributes(after.dataset());
    assertNoDatesButDummies(after.dataset());
  }

  @Test
  void aResentInstanceGetsTheSameBytesAndAnotherKeyOtherPseudonyms() throws Exception {
    byte[] original = DicomFiles.bytes("sag_t1_0002.dcm");
    byte[] first = DEIDENTIFIER.deidentify(original).bytes();
    byte[] again = new Deidentifier(KEY.clone(), READER).deidentify(original).bytes();
    assertThat(again).isEqualTo(first);

    Deidentifier other = new Deidentifier("another".getBytes(StandardCharsets.UTF_8), READER);
    DataSet a = READER.readFile(first).dataset();
    DataSet b = READER.readFile(other.deidentify(original).bytes()).dataset();
    assertThat(b.string(DicomTag.STUDY_INSTANCE_UID))
        .isNotEqualTo(a.string(DicomTag.STUDY_INSTANCE_UID));
    assertThat(b.string(DicomTag.PATIENT_ID)).isNotEqualTo(a.string(DicomTag.PATIENT_ID));
  }

  @Test
  void instancesOfOneSeriesStillAssembleIntoTheSameVolume() throws Exception {
    List<MrInstance> original = new ArrayList<>();
    List<MrInstance> deidentified = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      byte[] bytes = DicomFiles.bytes("sag_t1_000" + n + ".dcm");
      original.add(MrInstance.read(READER, bytes));
      deidentified.add(MrInstance.read(READER, DEIDENTIFIER.deidentify(bytes).bytes()));
    }
    assertThat(deidentified.stream().map(MrInstance::seriesInstanceUid).distinct()).hasSize(1);

    DicomVolume a = new SeriesAssembler().assemble(original);
    DicomVolume b = new SeriesAssembler().assemble(deidentified);
    assertThat(b.image().geometry()).isEqualTo(a.image().geometry());
    assertThat(b.image().data()).isEqualTo(a.image().data());
  }

  @Test
  void uidsAreDeterministic128BitDecimalsUnder64Characters() {
    String uid = DEIDENTIFIER.uid("1.2.3.4");
    assertThat(uid)
        .isEqualTo(DEIDENTIFIER.uid("1.2.3.4"))
        .isNotEqualTo(DEIDENTIFIER.uid("1.2.3.5"));
    assertThat(uid).matches("2\\.25\\.[1-9][0-9]*");
    assertThat(uid.length()).isLessThanOrEqualTo(64);
    assertThat(new java.math.BigInteger(uid.substring(5)).bitLength()).isLessThanOrEqualTo(128);
  }

  @Test
  void pseudonymsListEveryReplacedOriginalOnce() throws Exception {
    byte[] original = DicomFiles.bytes("MR_small.dcm");
    DataSet before = READER.readFile(original).dataset();
    List<Deidentifier.Pseudonym> pseudonyms = DEIDENTIFIER.deidentify(original).pseudonyms();
    assertThat(pseudonyms)
        .contains(
            new Deidentifier.Pseudonym(
                "PatientID",
                before.string(DicomTag.PATIENT_ID),
                DEIDENTIFIER.patientId(before.string(DicomTag.PATIENT_ID))))
        .doesNotHaveDuplicates();
    assertThat(pseudonyms)
        .extracting(Deidentifier.Pseudonym::original)
        .contains(before.string(DicomTag.STUDY_INSTANCE_UID));
  }

  @Test
  void bigEndianInstancesAreRefusedNamingTheTransferSyntax() {
    assertThatThrownBy(() -> DEIDENTIFIER.deidentify(DicomFiles.bytes("MR_small_bigendian.dcm")))
        .isInstanceOf(DicomException.class)
        .hasMessageContaining("TransferSyntaxUID");
  }

  static List<String> identifyingValues(DataSet dataset) {
    List<String> values = new ArrayList<>();
    for (DicomTag tag : IDENTIFYING) {
      String value = dataset.string(tag);
      if (value != null && value.length() >= 4) {
        values.add(value);
      }
    }
    return values;
  }

  /** A sequence's items; an implicit VR file's unknown sequence is UN bytes until parsed. */
  private static List<DataSet> items(DataElement e) throws DicomException {
    return e.items().isEmpty() && e.vr() == VR.UN
        ? DatasetParser.implicitItems(e.value(), e.tag(), DicomLimits.DEFAULT)
        : e.items();
  }

  private static byte[] value(DataSet dataset, DicomTag tag) {
    DataElement e = dataset.get(tag);
    return e == null ? null : e.value();
  }

  /** Every date, time and date-time left is empty or the dummy 1900-01-01 00:00. */
  private static void assertNoDatesButDummies(DataSet dataset) {
    for (DataElement e : dataset.elements().values()) {
      if (e.vr() == VR.DA || e.vr() == VR.TM || e.vr() == VR.DT) {
        assertThat(new String(e.value(), StandardCharsets.US_ASCII).strip())
            .as(DicomTag.field(e.tag()))
            .isIn("", "19000101", "000000", "19000101000000");
      }
      e.items().forEach(DeidentifierTest::assertNoDatesButDummies);
    }
  }

  private static void assertNoPrivateAttributes(DataSet dataset) {
    for (DataElement e : dataset.elements().values()) {
      assertThat((e.tag() >>> 16) % 2).as(DicomTag.field(e.tag())).isZero();
      e.items().forEach(DeidentifierTest::assertNoPrivateAttributes);
    }
  }
}
