package io.spineflow.imaging.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A C-STORE data set wrapped as a Part 10 file reads back as the data set it was. */
class Part10Test {
  private static final DicomReader READER = new DicomReader();

  @Test
  void wrappedDataSetReadsBack() throws Exception {
    byte[] dataset = SeriesCorpusTest.slice(2).buildBare();

    byte[] file =
        Part10.wrap(
            MrInstance.MR_IMAGE_STORAGE,
            "1.2.826.0.1.3680043.2.1125.1.9.2",
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            dataset,
            "MODALITY1");

    DicomFile read = READER.readFile(file);
    assertThat(read.transferSyntax().uid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(read.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID))
        .isEqualTo(MrInstance.MR_IMAGE_STORAGE);
    assertThat(read.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID))
        .isEqualTo("1.2.826.0.1.3680043.2.1125.1.9.2");
    MrInstance instance = MrInstance.read(READER, file);
    assertThat(instance.sopInstanceUid()).isEqualTo("1.2.826.0.1.3680043.2.1125.1.9.2");
    assertThat(instance.image().frames().get(0).values()[11]).isEqualTo(1100f);
  }

  @Test
  void implicitLittleEndianDataSetReadsBack() throws Exception {
    // MR_small_implicit_nometa.dcm is a bare implicit VR data set, as a C-STORE carries it.
    byte[] dataset = DicomFiles.bytes("MR_small_implicit_nometa.dcm");

    byte[] file =
        Part10.wrap(
            MrInstance.MR_IMAGE_STORAGE,
            "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457",
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            dataset,
            null);

    DicomImage image = READER.read(file);
    DicomImage bare = READER.read(dataset);
    assertThat(image.file().meta().elements()).isNotEmpty();
    assertThat(image.frames().get(0).values()).isEqualTo(bare.frames().get(0).values());
  }
}
