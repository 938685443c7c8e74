package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sequence from SPIDER-style names and the study UID (key) contract. */
class StudyNamesAndKeysTest {

  @ParameterizedTest
  @CsvSource({
    "1_t1, T1",
    "1_t2, T2",
    "1_t2_SPACE, T2_SPACE",
    "patient-7_T2_space, T2_SPACE",
    "phantom-3_T1, T1",
    "study_t3, UNKNOWN",
    "t2, UNKNOWN",
    "case_t2x, UNKNOWN",
    "plain, UNKNOWN"
  })
  void sequenceComesFromTheSpiderSuffix(String name, Sequence expected) {
    assertThat(SequenceNames.fromStudyName(name)).isEqualTo(expected);
  }

  @Test
  void studyNameDropsTheExtensionInAnyCase() {
    assertThat(SequenceNames.studyName("1_t2.mha")).isEqualTo("1_t2");
    assertThat(SequenceNames.studyName("1_t2.MHD")).isEqualTo("1_t2");
    assertThat(SequenceNames.studyName("notes.txt")).isEqualTo("notes.txt");
  }

  @Test
  void sequenceHeaderValuesAreTheEnumNamesInAnyCase() {
    assertThat(SequenceNames.parse("t2_space")).contains(Sequence.T2_SPACE);
    assertThat(SequenceNames.parse(" T1 ")).contains(Sequence.T1);
    assertThat(SequenceNames.parse("UNKNOWN")).contains(Sequence.UNKNOWN);
    assertThat(SequenceNames.parse("FLAIR")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "1.2.840.113619.2.55", "study_7-b", "A"})
  void validUids(String uid) throws Exception {
    assertThat(StudyUids.require(uid, "key")).isEqualTo(uid);
  }

  @Test
  void theLongestValidUidHas128Characters() throws Exception {
    assertThat(StudyUids.isValid("x".repeat(128))).isTrue();
    assertThat(StudyUids.isValid("x".repeat(129))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "with space", "ümlaut", "semi;colon", "../etc", "tab\t"})
  void invalidUids(String uid) {
    assertThatThrownBy(() -> StudyUids.require(uid, "key"))
        .isInstanceOfSatisfying(
            IngestRejection.class,
            e -> {
              assertThat(e.rejection().reasonCode()).isEqualTo("INVALID_STUDY_UID");
              assertThat(e.rejection().field()).isEqualTo("key");
              assertThat(e.rejection().limit()).isEqualTo(StudyUids.CONTRACT);
              assertThat(e.rejection().message()).doesNotContain(uid);
            });
  }

  @Test
  void missingUids() {
    for (String uid : new String[] {null, ""}) {
      assertThatThrownBy(() -> StudyUids.require(uid, "uid"))
          .isInstanceOfSatisfying(
              IngestRejection.class,
              e -> assertThat(e.rejection().reasonCode()).isEqualTo("MISSING_STUDY_UID"));
    }
  }

  @Test
  void aDerivedUidIsStableAndValid() {
    String hash = ContentHash.of(new byte[] {1, 2, 3}, null);
    String uid = StudyUids.derive(hash);
    assertThat(uid).isEqualTo("sha256-" + hash.substring(0, 32)).isEqualTo(StudyUids.derive(hash));
    assertThat(StudyUids.isValid(uid)).isTrue();
  }
}
