package io.spineflow.imaging.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelDeclarationFilesTest {
  @TempDir Path dir;

  @Test
  void aSidecarWinsOverTheManifest() throws IOException {
    Files.writeString(
        dir.resolve("manifest.tsv"), "name\tlabelled\nA\tdiscs\nB\tvertebral-bodies\n");
    Files.writeString(
        dir.resolve("A.labels"), "# what A labels\nclasses: canal\nextent=whole-image\n");
    assertThat(LabelDeclarationFiles.declarationFor(dir.resolve("A.mha")))
        .contains(LabelCoverage.parse("canal", "whole-image"));
    assertThat(LabelDeclarationFiles.declarationFor(dir.resolve("B.mha")))
        .contains(LabelCoverage.parse("vertebral-bodies", "labelled-span"));
    assertThat(LabelDeclarationFiles.declarationFor(dir.resolve("C.mha"))).isEmpty();
  }

  @Test
  void spiderLayoutFindsTheManifestAboveImages() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(
        dir.resolve("manifest.tsv"),
        "name\tset\tsequence\tlabelled\textent\nIVD_1\tIVD\tT2\tdiscs\tlabelled-span+5mm\n");
    var entry = LabelDeclarationFiles.readManifest(dir.resolve("manifest.tsv")).get("IVD_1");
    assertThat(entry.sequence()).contains("T2");
    assertThat(LabelDeclarationFiles.declarationFor(dir.resolve("images/IVD_1.mha")))
        .contains(LabelCoverage.parse("discs", "labelled-span+5mm"));
    assertThat(LabelDeclarationFiles.sidecarOf(dir.resolve("masks/IVD_1.mask.mha")))
        .hasFileName("IVD_1.labels");
  }

  @Test
  void malformedFilesNameTheFileAndLine() throws IOException {
    Files.writeString(dir.resolve("X.labels"), "classes: discs\nsize: 3\n");
    assertThatThrownBy(() -> LabelDeclarationFiles.declarationFor(dir.resolve("X.mha")))
        .hasMessageContaining("X.labels line 2");
    Path manifest = dir.resolve("manifest.tsv");
    Files.writeString(manifest, "name\tlabelled\nY\tribs\n");
    assertThatThrownBy(() -> LabelDeclarationFiles.readManifest(manifest))
        .hasMessageContaining("manifest.tsv line 2")
        .hasMessageContaining("'ribs'");
    Files.writeString(manifest, "file\tclasses\n");
    assertThatThrownBy(() -> LabelDeclarationFiles.readManifest(manifest))
        .hasMessageContaining("'name' and 'labelled'");
  }
}
