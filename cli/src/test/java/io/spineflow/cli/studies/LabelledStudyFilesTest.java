package io.spineflow.cli.studies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import io.spineflow.imaging.labels.LabelledStructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledStudyFilesTest {
  @TempDir Path dir;

  private void touch(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not read by the loader");
  }

  @Test
  void spiderLayoutWithTheSharedSetsManifest() throws Exception {
    for (String name : List.of("IVD_25", "VB1_03", "S1_t2")) {
      touch(dir.resolve("images").resolve(name + ".mha"));
      touch(dir.resolve("masks").resolve(name + ".mha"));
    }
    touch(dir.resolve("images").resolve("no_mask.mha"));
    Files.writeString(
        dir.resolve("manifest.tsv"),
        "name\tset\tsequence\tlabelled\n"
            + "IVD_25\tIVD\tT2\tdiscs\n"
            + "VB1_03\tVB1\tUNKNOWN\tvertebral-bodies\n");

    List<LabelledStudyFile> studies = LabelledStudyFiles.find(dir);

    assertThat(studies)
        .extracting(LabelledStudyFile::name)
        .containsExactly("IVD_25", "S1_t2", "VB1_03");
    LabelledStudyFile ivd = studies.get(0);
    assertThat(ivd.set()).isEqualTo("IVD");
    assertThat(ivd.sequence()).isEqualTo("T2");
    assertThat(ivd.coverage().classes()).containsExactly(LabelledStructure.DISCS);
    assertThat(ivd.coverage().extent()).isEqualTo(LabelExtent.LABELLED_SPAN);
    assertThat(ivd.mask()).isEqualTo(dir.resolve("masks").resolve("IVD_25.mha"));
    // Not in the manifest: complete, the default set, the sequence its name ends in.
    LabelledStudyFile spider = studies.get(1);
    assertThat(spider.complete()).isTrue();
    assertThat(spider.set()).isEqualTo(LabelledStudyFiles.ALL_SETS);
    assertThat(spider.sequence()).isEqualTo("T2");
    assertThat(studies.get(2).coverage().classes())
        .isEqualTo(Set.of(LabelledStructure.VERTEBRAL_BODIES));
    assertThat(studies.get(2).sequence()).isEqualTo("UNKNOWN");
  }

  @Test
  void flatLayoutWithASidecar() throws Exception {
    touch(dir.resolve("a_t1.mha"));
    touch(dir.resolve("a_t1.mask.mha"));
    touch(dir.resolve("b.mha"));
    touch(dir.resolve("b.mask.mha"));
    Files.writeString(
        dir.resolve("b.labels"), "classes: discs, canal\nextent: labelled-span+10mm\n");

    List<LabelledStudyFile> studies = LabelledStudyFiles.find(dir);

    assertThat(studies).hasSize(2);
    assertThat(studies.get(0).coverage()).isEqualTo(LabelCoverage.COMPLETE);
    assertThat(studies.get(0).sequence()).isEqualTo("T1");
    assertThat(studies.get(0).mask()).isEqualTo(dir.resolve("a_t1.mask.mha"));
    assertThat(studies.get(1).coverage())
        .isEqualTo(LabelCoverage.parse("discs,canal", "labelled-span+10mm"));
    assertThat(studies.get(1).set()).isEqualTo(LabelledStudyFiles.ALL_SETS);
  }

  @Test
  void aMalformedSidecarNamesTheFile() throws Exception {
    touch(dir.resolve("b.mha"));
    touch(dir.resolve("b.mask.mha"));
    Files.writeString(dir.resolve("b.labels"), "classes: spleen\n");

    assertThatThrownBy(() -> LabelledStudyFiles.find(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b.labels")
        .hasMessageContaining("spleen");
  }
}
