package io.spineflow.cli.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.cli.erasure.ErasureReport.FloorOutcome;
import io.spineflow.events.ClaimCheck;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.schemas.Topics;
import io.spineflow.trainer.QualityFloor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the eraser does on disk, without a broker. */
class StudyEraserTest {
  private static final String UID = "1.2.3.4";
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @TempDir Path dir;

  private ErasurePlan plan() {
    return ErasurePlan.of(UID, Topics.defaults(), Settings.of(Map.of("data.dir", dir.toString())));
  }

  @Test
  void claimFilesAreDeletedOnlyInsideTheClaimCheckStore() throws IOException {
    Path claims = Files.createDirectories(dir.resolve("claims"));
    Path inside = Files.writeString(claims.resolve("abc.bin"), "voxels");
    Path outside = Files.writeString(dir.resolve("precious.txt"), "not a claim");
    Path sneaky = claims.resolve("../precious.txt");

    StudyEraser.ClaimFiles result =
        StudyEraser.deleteClaimFiles(
            plan(),
            List.of(
                inside.toUri().toString(),
                inside.toUri().toString(), // the image and its resend name the same file
                claims.resolve("gone.bin").toUri().toString(), // already deleted: not counted
                outside.toUri().toString(),
                "file://" + sneaky.toString(),
                "http://example.org/x.bin",
                "not a uri at all"));

    assertThat(inside).doesNotExist();
    assertThat(outside).exists();
    assertThat(result.deleted()).isEqualTo(1);
    assertThat(result.refused()).isEqualTo(4);
  }

  @Test
  void aBlobReferenceIsErasedFromTheClaimCheckStoreAndTheRemoteStore() throws IOException {
    byte[] bytes = "voxels".getBytes(StandardCharsets.UTF_8);
    ClaimCheckStore local = new ClaimCheckStore(dir.resolve("claims"));
    ClaimCheck check = local.put(bytes);
    FileBlobStore remote = new FileBlobStore(dir.resolve("bucket"), 1000);
    BlobRef ref = remote.put(bytes);
    String neverStored = "sha256:" + "0".repeat(64);

    StudyEraser.ClaimFiles result =
        StudyEraser.deleteClaimFiles(
            plan(),
            List.of(check.getUri(), check.getUri(), neverStored, "sha256:../../precious.txt"),
            List.of(remote));

    assertThat(local.blobs().contains(ref)).isFalse();
    assertThat(remote.contains(ref)).isFalse();
    assertThat(result.deleted()).isEqualTo(1);
    assertThat(result.refused()).isEqualTo(1);
  }

  @Test
  void theStudysCacheDirectoryGoesWithEveryFileInIt() throws IOException {
    Path study = plan().trainerCacheDir();
    Files.createDirectories(study);
    Files.writeString(study.resolve("0.slice"), "a");
    Files.writeString(study.resolve("1.slice"), "b");
    Files.writeString(study.resolve("summary.bin"), "c");
    Path other = Files.createDirectories(study.resolveSibling("another"));
    Files.writeString(other.resolve("0.slice"), "d");

    assertThat(StudyEraser.deleteTree(study)).isEqualTo(3);
    assertThat(study).doesNotExist();
    assertThat(other.resolve("0.slice")).exists();
    assertThat(StudyEraser.deleteTree(study)).isZero();
  }

  @Test
  void theFloorLosesThePinnedStudyAndKeepsItsFigures() throws IOException {
    Path file = plan().qualityFloor();
    assertThat(StudyEraser.unpin(file, UID, T0).outcome()).isEqualTo(FloorOutcome.NO_FLOOR);

    QualityFloor floor =
        new QualityFloor(
            0.8,
            Map.of("vertebrae", 0.85, "discs", 0.75),
            new TreeSet<>(List.of(UID, "9.9")),
            2,
            3,
            T0);
    floor.write(file);
    ErasureReport.Floor outcome = StudyEraser.unpin(file, UID, T0.plusSeconds(60));

    assertThat(outcome).isEqualTo(new ErasureReport.Floor(FloorOutcome.UNPINNED, 1));
    QualityFloor after = QualityFloor.read(file).orElseThrow();
    assertThat(after.referenceStudies()).containsExactly("9.9");
    assertThat(after.meanDice()).isEqualTo(0.8);
    assertThat(after.classDice()).isEqualTo(floor.classDice());
    assertThat(after.setByVersion()).isEqualTo(2);
    assertThat(after.raisedByVersion()).isEqualTo(3);
    assertThat(Files.readString(file)).doesNotContain(UID);

    assertThat(StudyEraser.unpin(file, UID, T0).outcome()).isEqualTo(FloorOutcome.NOT_PINNED);
  }

  @Test
  void aFloorPinnedOnTheStudyAloneIsDeletedForTheNextPromotionToRepin() throws IOException {
    Path file = plan().qualityFloor();
    new QualityFloor(0.8, Map.of(), new TreeSet<>(List.of(UID)), 1, 1, T0).write(file);

    assertThat(StudyEraser.unpin(file, UID, T0).outcome()).isEqualTo(FloorOutcome.DELETED);
    assertThat(file).doesNotExist();
  }

  @Test
  void theAuditSubjectIsTheUidsHashNeverTheUid() {
    assertThat(StudyEraser.subjectOf(UID))
        .startsWith("sha256:")
        .hasSize("sha256:".length() + 64)
        .doesNotContain(UID);
    // printf %s 1.2.3.4 | sha256sum
    assertThat(StudyEraser.subjectOf(UID))
        .isEqualTo(
            "sha256:"
                + java.util.HexFormat.of()
                    .formatHex(sha256(UID.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
