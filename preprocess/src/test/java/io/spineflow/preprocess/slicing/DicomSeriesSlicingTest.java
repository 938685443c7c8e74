package io.spineflow.preprocess.slicing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomVolume;
import io.spineflow.imaging.dicom.MrInstance;
import io.spineflow.imaging.dicom.SeriesAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DICOM series assembled by imaging's {@link SeriesAssembler} travels the MetaImage path: the
 * real sagittal T1 (8 slices, vendored in imaging's test resources, read in place) is sliced along
 * its sagittal axis, found from the direction cosines the assembler wrote.
 */
class DicomSeriesSlicingTest {
  private static final Path FILES =
      Path.of("../imaging/src/test/resources/io/spineflow/imaging/dicom/files");

  @Test
  void anAssembledSagittalSeriesIsSlicedAlongItsThirdAxis() throws Exception {
    DicomReader reader = new DicomReader();
    List<MrInstance> instances = new ArrayList<>();
    for (int n = 1; n <= 8; n++) {
      instances.add(
          MrInstance.read(reader, Files.readAllBytes(FILES.resolve("sag_t1_000" + n + ".dcm"))));
    }
    DicomVolume volume = new SeriesAssembler().assemble(instances);

    SlicedStudy sliced =
        new SagittalSlicer(
                128,
                128,
                new IntensityNormaliser(0.5, 99.5),
                new SliceFilter(false, false, 100),
                new SpineRegion(false, 15))
            .slice(volume.image(), null);

    assertThat(sliced.sagittalAxis().axis()).isEqualTo(2);
    assertThat(sliced.sourceSlices()).isEqualTo(8);
    assertThat(sliced.slices()).hasSize(8);
  }
}
