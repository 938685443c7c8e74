package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Patient and General Study attributes travel from ingest to the results service as their own
 * small data set: what a Segmentation written from them holds must be what it would hold had it
 * been written from the source instance itself.
 */
class StudyAttributesTest {

  @Test
  void aSegmentationWrittenFromTheCarriedAttributesIsTheOneWrittenFromTheSource() throws Exception {
    List<MrInstance> instances = SegmentationFixtures.sagittalInstances();
    DicomVolume volume = new SeriesAssembler().assemble(instances);
    SegmentationSource.DicomSeries direct =
        SegmentationSource.DicomSeries.of(volume, instances, 0.05);
    byte[] carried = StudyAttributes.encode(direct.patientAndStudy());
    SegmentationSource.DicomSeries viaEvent =
        new SegmentationSource.DicomSeries(
            direct.seriesInstanceUid(),
            direct.studyInstanceUid(),
            direct.frameOfReferenceUid(),
            StudyAttributes.decode(carried),
            direct.slices());
    BitSet all = new BitSet();
    all.set(0, volume.slices());

    byte[] fromSource = write(volume, direct, all);
    byte[] fromCarried = write(volume, viaEvent, all);

    assertThat(fromCarried).isEqualTo(fromSource);
    // Small enough for an event: the source instance's data set is many times larger.
    assertThat(carried.length).isLessThan(512);
  }

  @Test
  void everyAttributeKeepsItsBytesAndTheMissingType2OnesAreEmpty() throws Exception {
    DataSet source = new DicomReader().readFile(DicomFiles.bytes("sag_t1_0001.dcm")).dataset();
    DataSet decoded = StudyAttributes.decode(StudyAttributes.encode(source));

    for (StudyAttributes.Attribute a : StudyAttributes.PATIENT_AND_STUDY) {
      DataElement original = source.elements().get(a.tag());
      DataElement carried = decoded.elements().get(a.tag());
      if (original != null) {
        assertThat(carried.value()).as("tag %08x", a.tag()).isEqualTo(original.value());
      } else if (a.type2()) {
        assertThat(carried.value()).as("tag %08x", a.tag()).isEmpty();
      } else {
        assertThat(carried).as("tag %08x", a.tag()).isNull();
      }
    }
    assertThat(decoded.string(DicomTag.PATIENT_ID)).isEqualTo(source.string(DicomTag.PATIENT_ID));
    // Nothing else travels: no pixels, no UIDs, no private tags.
    assertThat(decoded.elements().keySet())
        .allMatch(
            tag ->
                tag == DicomTag.SPECIFIC_CHARACTER_SET.tag()
                    || tag == DicomTag.SLICE_THICKNESS.tag()
                    || StudyAttributes.PATIENT_AND_STUDY.stream().anyMatch(a -> a.tag() == tag));
  }

  private static byte[] write(
      DicomVolume volume, SegmentationSource.DicomSeries source, BitSet segmented)
      throws Exception {
    return SegmentationWriter.write(
            new SegmentationWriter.Request(
                SegmentationFixtures.sagittalLabels(volume),
                segmented,
                SegmentationWriter.Labelling.CLASSES,
                SegmentationFixtures.MODEL,
                source,
                SegmentationFixtures.CREATED,
                905))
        .part10();
  }
}
