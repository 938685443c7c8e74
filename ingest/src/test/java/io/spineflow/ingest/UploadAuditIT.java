package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.spineflow.events.AuditAction;
import io.spineflow.events.AuditEvent;
import io.spineflow.events.AuditOutcome;
import io.spineflow.imaging.Sequence;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.http.BearerToken;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import io.spineflow.testkit.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The HTTP upload door over HTTPS on the embedded broker, end to end to the {@code audit} topic: an
 * accepted and a rejected upload are each one audit record (the token's identity, never the token;
 * the client's address; the study UID; the content hash or the reason), a request without the token
 * is none; plain HTTP is refused; and no log line carries the study UID or the file name raw.
 */
class UploadAuditIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  @Test
  void everyAuthenticatedUploadIsOneAuditRecordAndNothingElseIs() throws Exception {
    Path cert = dataDir.resolve("tls/cert.pem");
    Tls.writePem(
        SelfSignedCertificate.generate("ingest test", List.of("localhost"), Duration.ofDays(1)),
        cert,
        dataDir.resolve("tls/key.pem"));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    String uid = "1.2.840.DOE-JANE.4711";
    String badUid = "1.2.840.ROE-RICHARD.4712";
    String fileName = "Jane_Doe_lumbar.mha";
    try (RunningIngest ingest =
            RunningIngest.start(
                dataDir,
                Map.of(
                    CommonSettings.HTTP_TLS_CERT.name(), cert.toString(),
                    CommonSettings.HTTP_TLS_KEY.name(),
                        dataDir.resolve("tls/key.pem").toString()));
        TopicReader<String, AuditEvent> audit =
            new TopicReader<>(ingest.bootstrapServers(), ingest.context.topics().audit())) {
      HttpClient https = HttpClient.newBuilder().sslContext(Tls.trusting(cert)).build();
      RunningIngest.PhantomFiles study = RunningIngest.phantom(Sequence.T2, 31, 0.15);

      assertThat(ingest.scheme).isEqualTo("https");
      HttpResponse<String> refused =
          https.send(
              HttpRequest.newBuilder(ingest.uri("/studies?uid=" + uid))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(study.image()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);

      HttpResponse<String> accepted =
          https.send(
              ingest
                  .authorized("?uid=" + uid + "&sequence=T2&name=" + fileName)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(study.image()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).isEqualTo(202);

      byte[] truncated = Arrays.copyOf(study.image(), study.image().length - 1000);
      HttpResponse<String> rejected =
          https.send(
              ingest
                  .authorized("?uid=" + badUid + "&name=" + fileName)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(truncated))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(rejected.statusCode()).isEqualTo(400);

      String plainUrl = "http://127.0.0.1:" + ingest.port + "/studies";
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(URI.create(plainUrl))
                              .timeout(Duration.ofSeconds(30))
                              .header("Authorization", "Bearer " + RunningIngest.TOKEN)
                              .POST(HttpRequest.BodyPublishers.ofByteArray(study.image()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);

      List<AuditEvent> records =
          audit.awaitAtLeast(2, WAIT).stream().map(ConsumerRecord::value).toList();
      // Nothing more arrives (the 401 and the plain-HTTP attempt are not audited).
      assertThat(audit.readToEnd(WAIT)).hasSize(2);
      String identity = new BearerToken(RunningIngest.TOKEN).identity();

      AuditEvent ok = records.get(0);
      assertThat(ok.getAction()).isEqualTo(AuditAction.UPLOAD);
      assertThat(ok.getOutcome()).isEqualTo(AuditOutcome.ACCEPTED);
      assertThat(ok.getSubject()).isEqualTo(uid);
      assertThat(ok.getActor()).isEqualTo(identity).doesNotContain(RunningIngest.TOKEN);
      assertThat(ok.getRemoteAddress()).isEqualTo("127.0.0.1");
      assertThat(ok.getService()).isEqualTo(IngestService.NAME);
      assertThat(ok.getDetails())
          .containsEntry("contentSha256", ContentHash.of(study.image(), null))
          .containsEntry("door", "HTTP");

      AuditEvent bad = records.get(1);
      assertThat(bad.getOutcome()).isEqualTo(AuditOutcome.REJECTED);
      assertThat(bad.getSubject()).isEqualTo(badUid);
      assertThat(bad.getActor()).isEqualTo(identity);
      assertThat(bad.getDetails()).containsKey("reasonCode");
      assertThat(records)
          .allSatisfy(r -> assertThat(r.toString()).doesNotContain(RunningIngest.TOKEN));
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains("DOE-JANE") || line.contains("ROE-RICHARD"))
        .noneMatch(line -> line.contains("Jane_Doe"))
        .noneMatch(line -> line.contains(RunningIngest.TOKEN));
  }
}
