package io.spineflow.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.platform.http.BearerToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RetrainActionTest {
  private static final String TOKEN = "operator-token-0123456789";
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  private final List<RetrainRequest> published = new ArrayList<>();
  private final RetrainAction action =
      new RetrainAction(
          new BearerToken(TOKEN),
          published::add,
          () -> List.of("spine-unet", "spine-unet-paper"),
          "spine-unet",
          Clock.fixed(NOW, ZoneOffset.UTC));
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(RetrainAction.class)).addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(RetrainAction.class)).detachAppender(logs);
  }

  private static byte[] body(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void publishesExactlyOneRequestWithTheToken() {
    RetrainAction.Result result =
        action.submit(
            "Bearer " + TOKEN,
            body(
                "{\"reason\":\"Dice fell on T2\",\"modelName\":\"spine-unet\","
                    + "\"requestedBy\":\"dr who\",\"requestId\":\"0b5c2f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f\"}"));
    assertThat(result.status()).isEqualTo(202);
    assertThat(result.body()).containsEntry("requestId", "0b5c2f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f");
    assertThat(published)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOrigin()).isEqualTo(RetrainOrigin.DASHBOARD);
              assertThat(r.getModelName()).isEqualTo("spine-unet");
              assertThat(r.getReason()).isEqualTo("Dice fell on T2");
              assertThat(r.getRequestedBy()).isEqualTo("dr who");
              assertThat(r.getRequestedAt()).isEqualTo(NOW);
            });
  }

  @Test
  void theSameClickSentTwicePublishesOnce() {
    byte[] click = body("{\"reason\":\"drift\",\"requestId\":\"abcdef12-3456\"}");
    assertThat(action.submit("Bearer " + TOKEN, click).status()).isEqualTo(202);
    RetrainAction.Result again = action.submit("Bearer " + TOKEN, click);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).containsEntry("duplicate", true);
    assertThat(published).hasSize(1);
    // A new click is a new request.
    assertThat(action.submit("Bearer " + TOKEN, body("{\"reason\":\"drift\"}")).status())
        .isEqualTo(202);
    assertThat(published).hasSize(2);
  }

  @Test
  void refusesWithoutOrWithAWrongTokenAndNeverLogsIt() {
    byte[] click = body("{\"reason\":\"drift\"}");
    assertThat(action.submit(null, click).status()).isEqualTo(401);
    assertThat(action.submit("Bearer wrong-token-0123456789", click).status()).isEqualTo(401);
    assertThat(action.submit("Bearer " + TOKEN.toUpperCase(), click).status()).isEqualTo(401);
    assertThat(action.submit(TOKEN, click).status()).isEqualTo(401);
    assertThat(published).isEmpty();
    assertThat(action.submit("Bearer " + TOKEN, click).status()).isEqualTo(202);
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(TOKEN) || m.contains("wrong-token"));
  }

  @Test
  void validatesTheRequestOnlyAfterTheToken() {
    assertThat(action.submit(null, body("not json")).status()).isEqualTo(401);
    assertThat(action.submit("Bearer " + TOKEN, body("not json")).status()).isEqualTo(400);
    assertThat(action.submit("Bearer " + TOKEN, body("{\"reason\":\"  \"}")).body())
        .containsEntry("error", "REASON_REQUIRED");
    assertThat(
            action
                .submit("Bearer " + TOKEN, body("{\"reason\":\"" + "x".repeat(501) + "\"}"))
                .body())
        .containsEntry("error", "REASON_TOO_LONG");
    assertThat(
            action
                .submit("Bearer " + TOKEN, body("{\"reason\":\"r\",\"modelName\":\"other\"}"))
                .body())
        .containsEntry("error", "UNKNOWN_MODEL");
    assertThat(
            action
                .submit("Bearer " + TOKEN, body("{\"reason\":\"r\",\"requestId\":\"<script>\"}"))
                .body())
        .containsEntry("error", "BAD_REQUEST_ID");
    assertThat(published).isEmpty();
  }

  @Test
  void controlCharactersInTheReasonBecomeSpaces() {
    action.submit("Bearer " + TOKEN, body("{\"reason\":\"line one\\nline two\\u001b[31m\"}"));
    assertThat(published.get(0).getReason()).isEqualTo("line one line two [31m");
  }

  @Test
  void withoutAConfiguredTokenTheActionIsDisabled() {
    RetrainAction disabled =
        new RetrainAction(
            null, published::add, () -> List.of("spine-unet"), "spine-unet", Clock.systemUTC());
    RetrainAction.Result result = disabled.submit("Bearer anything", body("{\"reason\":\"r\"}"));
    assertThat(result.status()).isEqualTo(503);
    assertThat(result.body()).containsEntry("error", "RETRAIN_DISABLED");
    assertThat(published).isEmpty();
  }

  @Test
  void aKafkaFailureIsReportedAndTheIdCanBeRetried() {
    List<RetrainRequest> sent = new ArrayList<>();
    boolean[] fail = {true};
    RetrainAction flaky =
        new RetrainAction(
            new BearerToken(TOKEN),
            r -> {
              if (fail[0]) {
                throw new IllegalStateException("broker down");
              }
              sent.add(r);
            },
            () -> List.of("spine-unet"),
            "spine-unet",
            Clock.systemUTC());
    byte[] click = body("{\"reason\":\"r\",\"requestId\":\"retry-me-123\"}");
    assertThat(flaky.submit("Bearer " + TOKEN, click).status()).isEqualTo(503);
    fail[0] = false;
    assertThat(flaky.submit("Bearer " + TOKEN, click).status()).isEqualTo(202);
    assertThat(sent).hasSize(1);
  }
}
