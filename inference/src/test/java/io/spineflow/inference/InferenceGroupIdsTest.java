package io.spineflow.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.schemas.Topics;
import org.junit.jupiter.api.Test;

/**
 * Two deployments sharing a cluster under different topic prefixes must not share the slices
 * consumer group nor fence each other's transactions (instance ids start at 0 in both).
 */
class InferenceGroupIdsTest {

  @Test
  void anEmptyPrefixKeepsTheNamesTheAutoscalerWatches() {
    Topics topics = new Topics("", 3);
    assertThat(InferenceService.groupId(topics)).isEqualTo(InferenceService.GROUP_ID);
    assertThat(InferenceService.memberId(topics, "0")).isEqualTo("spineflow-inference-0");
  }

  @Test
  void thePrefixSeparatesTheGroupAndTheTransactionalIdsOfTwoDeployments() {
    Topics a = new Topics("site-a.", 3);
    Topics b = new Topics("site-b.", 3);
    assertThat(InferenceService.groupId(a)).isEqualTo("site-a.spineflow-inference");
    assertThat(InferenceService.groupId(a)).isNotEqualTo(InferenceService.groupId(b));
    assertThat(InferenceService.memberId(a, "0"))
        .isEqualTo("site-a.spineflow-inference-0")
        .isNotEqualTo(InferenceService.memberId(b, "0"));
  }
}
