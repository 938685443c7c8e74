package io.spineflow.imaging.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VoxelGridLayoutTest {

  @Test
  void identityRunsAlongLeftPosteriorSuperior() {
    VoxelGridLayout layout = VoxelGridLayout.IDENTITY;
    assertThat(layout.patientAxis(0)).isEqualTo(PatientAxis.LEFT_RIGHT);
    assertThat(layout.patientAxis(1)).isEqualTo(PatientAxis.ANTERIOR_POSTERIOR);
    assertThat(layout.patientAxis(2)).isEqualTo(PatientAxis.INFERIOR_SUPERIOR);
    assertThat(layout.flipped(0) || layout.flipped(1) || layout.flipped(2)).isFalse();
  }

  @Test
  void lettersNameTheDirectionTheIndexGrowsTowards() {
    VoxelGridLayout layout = VoxelGridLayout.of("air"); // anterior, inferior, right
    assertThat(layout.code()).isEqualTo("AIR");
    assertThat(layout.arrayAxis(PatientAxis.LEFT_RIGHT)).isEqualTo(2);
    assertThat(layout.arrayAxis(PatientAxis.ANTERIOR_POSTERIOR)).isZero();
    assertThat(layout.flipped(0)).isTrue();
    assertThat(layout.flipped(1)).isTrue();
    assertThat(layout.flipped(2)).isTrue();
    assertThat(VoxelGridLayout.of("PSL").flipped(0)).isFalse();
  }

  @Test
  void rejectsCodesThatAreNotOneLetterPerPatientAxis() {
    assertThatThrownBy(() -> VoxelGridLayout.of("LRS"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoxelGridLayout.of("LP")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VoxelGridLayout.of("LPX"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomLayoutsCoverOrdersAndFlips() {
    SplittableRandom random = new SplittableRandom(3);
    var codes = new HashSet<String>();
    for (int i = 0; i < 500; i++) {
      codes.add(VoxelGridLayout.random(random).code());
    }
    assertThat(codes).hasSize(48);
  }
}
