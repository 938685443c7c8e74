package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.events.ClassMetrics;
import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.events.Quality;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.platform.http.SelfSignedCertificate;
import io.spineflow.platform.http.Tls;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.SharedKafka;
import io.spineflow.testkit.StudyResults;
import io.spineflow.testkit.TestTopics;
import io.spineflow.testkit.TopicReader;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard as a person sees it: the real {@link DashboardService} on the embedded broker, fed
 * ~45 minutes of realistic events through the real serdes ({@link PipelineTraffic}), served over
 * HTTPS with the test's self-signed certificate (Chromium trusts exactly its key) and opened in a
 * real headless Chromium. The API answers 401 without the viewer token and plain HTTP is refused;
 * the browser signs in through the form (a wrong token is refused) or the {@code /?token=} link and
 * gets an HttpOnly cookie. The page loads without console errors, plots the Dice of the quality
 * events, shows overlays, shows hostile event text as text, and "Retrain now" publishes exactly one
 * request with the token and none without. Writes the page's screenshot to {@code
 * target/dashboard.png}; {@code -Ddashboard.screenshot.docs=true} writes it to the README's {@code
 * docs/dashboard.png} instead (a build must not change the tracked files of the clone it runs in).
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install -y
 * chromium chromium-driver}); without them the test is reported as skipped, saying so.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String TOKEN = "browser-test-operator-token";
  private static final String VIEWER = "browser-test-viewer-token";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  @Test
  void thePageShowsLiveQualityAndRetrainsOnlyWithTheToken() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium is not installed (needs /usr/bin/chromium and /usr/bin/chromedriver:"
            + " apt-get install -y chromium chromium-driver); the browser test cannot run");
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    ServiceContext context =
        ServiceContext.from(
            DashboardService.NAME,
            Settings.of(
                Map.of(
                    CommonSettings.BOOTSTRAP_SERVERS.name(),
                    bootstrap,
                    CommonSettings.TOPIC_PREFIX.name(),
                    topics.prefix(),
                    CommonSettings.TOPIC_PARTITIONS.name(),
                    "2",
                    CommonSettings.DATA_DIR.name(),
                    dataDir.toString(),
                    CommonSettings.STARTUP_TIMEOUT.name(),
                    "60s",
                    DashboardSettings.OPERATOR_TOKEN.name(),
                    TOKEN,
                    DashboardSettings.VIEWER_TOKEN.name(),
                    VIEWER,
                    CommonSettings.HTTP_TLS_CERT.name(),
                    cert().toString(),
                    CommonSettings.HTTP_TLS_KEY.name(),
                    dataDir.resolve("tls/key.pem").toString(),
                    // The story is published in one burst spanning 45 minutes of event time.
                    DashboardSettings.GRACE.name(),
                    "1h")));

    StandInSegmenter segmenter = StandInSegmenter.onPhantoms();
    try (ServiceLauncher launcher = new ServiceLauncher();
        PipelineTraffic traffic = new PipelineTraffic(bootstrap, topics);
        TopicReader<String, RetrainRequest> retrain =
            new TopicReader<>(bootstrap, topics.retrain())) {
      ServiceLauncher.prepareKafka(context, DashboardService.ownedTopics(topics));
      launcher.launch(context, DashboardService.create(context), 0, DashboardService::routes);
      String base = "https://localhost:" + launcher.lastPort();

      Instant now = Instant.now();
      traffic.story(now, segmenter, 16, 3);
      awaitEverythingAggregated(base, traffic);
      StudyResults.Built result = publishResultOfAGalleryStudy(base, topics, traffic, now);

      // The API: 401 without the viewer token, 200 with it; plain HTTP is refused.
      assertThat(status(base + "/api/state", null)).isEqualTo(401);
      assertThat(status(base + "/api/state", "Bearer " + TOKEN))
          .as("the operator token is not the viewer token")
          .isEqualTo(401);
      assertThat(status(base + "/api/state", "Bearer " + VIEWER)).isEqualTo(200);
      String plain = "http://127.0.0.1:" + launcher.lastPort() + "/api/state";
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(URI.create(plain))
                              .timeout(Duration.ofSeconds(30))
                              .header("Authorization", "Bearer " + VIEWER)
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);

      ChromeDriver browser = browser();
      try {
        // Not signed in: the page sends the browser to the sign-in form; a wrong token is refused.
        browser.get(base + "/");
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/signin"));
        browser.findElement(By.id("token")).sendKeys("not-the-viewer-token");
        browser.findElement(By.id("signin-button")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("signin-error")).isEmpty());
        browser.findElement(By.id("token")).sendKeys(VIEWER);
        browser.findElement(By.id("signin-button")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/"));
        // Reading the console drains it: the refused sign-in's 401 is the only error so far.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
            .filteredOn(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .allSatisfy(e -> assertThat(e.getMessage()).contains("/signin").contains("401"));
        JavascriptExecutor js = browser;
        assertThat(js.executeScript("return location.protocol")).isEqualTo("https:");
        assertThat(js.executeScript("return document.cookie"))
            .as("the sign-in cookie is HttpOnly")
            .isEqualTo("");
        org.openqa.selenium.Cookie cookie = browser.manage().getCookieNamed("spineflow_viewer");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(VIEWER);
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    Boolean.TRUE.equals(
                        js.executeScript(
                            "return document.body.dataset.loaded === 'true'"
                                + " && document.querySelectorAll('#gallery img').length > 0"
                                + " && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0);")));

        // No console errors while loading and rendering (and nothing blocked by the CSP).
        assertThat(consoleErrors(browser)).as("browser console errors").isEmpty();

        // The Dice chart plots the quality events: per window, the mean of what was sent.
        Map<Long, Double> expected = traffic.vertebraeDicePerWindow(60_000);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plotted =
            (List<Map<String, Object>>)
                js.executeScript("return Chart.getChart('dice-chart').data.datasets[0].data;");
        assertThat(plotted).hasSize(expected.size());
        for (Map<String, Object> point : plotted) {
          long windowStart = ((Number) point.get("x")).longValue() - 30_000;
          assertThat(expected).containsKey(windowStart);
          assertThat(((Number) point.get("y")).doubleValue())
              .isCloseTo(expected.get(windowStart), within(1e-9));
        }
        assertThat(
                js.executeScript(
                    "return Chart.getChart('throughput-chart').data.datasets[0].data.length"))
            .isNotEqualTo(0L);

        // Overlays render; the worst Dice comes first.
        Number width =
            (Number)
                js.executeScript(
                    "return document.querySelector('#gallery img.overlay-prediction').naturalWidth;");
        assertThat(width.intValue()).isGreaterThan(0);
        assertThat(browser.findElements(By.cssSelector("#gallery img.overlay-truth"))).isNotEmpty();

        // Hostile event text is shown as text, never as markup.
        List<String> messages =
            browser.findElements(By.cssSelector("#deadletters .msg")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(messages).contains(PipelineTraffic.HOSTILE_MESSAGE);
        assertThat(js.executeScript("return document.querySelectorAll('img[src=\"x\"]').length"))
            .isEqualTo(0L);
        assertThat(js.executeScript("return document.body.dataset.pwned === undefined"))
            .isEqualTo(true);

        // "Retrain now" without the token, then with a wrong one: refused, and the page says so.
        browser.findElement(By.id("retrain-reason")).sendKeys("Dice fell after the new scanner");
        browser.findElement(By.id("retrain-by")).sendKeys("Dr. Ana Ruiz");
        clickAndAwaitResult(browser, "Refused (401)");
        browser.findElement(By.id("retrain-token")).sendKeys("not-the-operator-token");
        clickAndAwaitResult(browser, "Refused (401)");
        assertThat(fromDashboard(retrain.readToEnd(WAIT))).isEmpty();

        // With the token: exactly one request, origin DASHBOARD.
        browser.findElement(By.id("retrain-token")).clear();
        browser.findElement(By.id("retrain-token")).sendKeys(TOKEN);
        clickAndAwaitResult(browser, "Retrain request sent");
        await().atMost(WAIT).until(() -> !fromDashboard(retrain.records()).isEmpty());
        List<RetrainRequest> sent = fromDashboard(retrain.readToEnd(WAIT));
        assertThat(sent).hasSize(1);
        RetrainRequest request = sent.get(0);
        assertThat(request.getModelName()).isEqualTo(Events.MODEL);
        assertThat(request.getReason()).isEqualTo("Dice fell after the new scanner");
        assertThat(request.getRequestedBy()).isEqualTo("Dr. Ana Ruiz");
        assertThat(browser.findElement(By.id("retrain-result")).getText())
            .contains(request.getRequestId());

        // Audited: who (the operator token's identity, never the token), from where, which.
        try (TopicReader<String, io.spineflow.events.AuditEvent> audit =
            new TopicReader<>(bootstrap, topics.audit())) {
          List<io.spineflow.events.AuditEvent> audited =
              audit.readToEnd(WAIT).stream().map(ConsumerRecord::value).toList();
          assertThat(audited).hasSize(1);
          io.spineflow.events.AuditEvent record = audited.get(0);
          assertThat(record.getAction()).isEqualTo(io.spineflow.events.AuditAction.RETRAIN_REQUEST);
          assertThat(record.getActor())
              .isEqualTo(new io.spineflow.platform.http.BearerToken(TOKEN).identity());
          assertThat(record.getRemoteAddress()).isEqualTo("127.0.0.1");
          assertThat(record.getSubject()).isEqualTo(Events.MODEL);
          assertThat(record.getDetails())
              .containsEntry("requestId", request.getRequestId())
              .containsEntry("requestedBy", "Dr. Ana Ruiz");
          assertThat(record.toString()).doesNotContain(TOKEN);
        }

        screenshot(browser, js);
        assertTheStudyPage(browser, base, result);
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * A result ({@code segmentations}) for the study of the worst gallery slice, built from a phantom
   * (its levels measured, its label volume and SEG in the dashboard's blob store, two model
   * versions), published and awaited in the page state's study list.
   */
  private StudyResults.Built publishResultOfAGalleryStudy(
      String base, Topics topics, PipelineTraffic traffic, Instant now) throws Exception {
    Map<String, Object> state = pageState(base).orElseThrow();
    String uid = (String) ((Map<?, ?>) ((List<?>) state.get("gallery")).get(0)).get("studyUid");
    FileBlobStore blobs = new FileBlobStore(dataDir.resolve("claims"), 1L << 30);
    StudyResults.Built built = StudyResults.of(uid, 5, blobs, now, 1, 2);
    traffic.send(topics.segmentations(), uid, built.event(), now);
    traffic.flush();
    await()
        .atMost(WAIT)
        .until(
            () -> pageState(base).map(s -> ((List<?>) s.get("studies")).size() == 1).orElse(false));
    return built;
  }

  /**
   * The study page from the main page's study list: the levels table holds the published levels'
   * numbers, the class volumes and the mixed-versions warning are shown, the overlays load, and
   * both download links return the published blobs (and nothing without the viewer token).
   */
  private void assertTheStudyPage(ChromeDriver browser, String base, StudyResults.Built result)
      throws Exception {
    JavascriptExecutor js = browser;
    String uid = result.event().getStudyUid();
    // Reading the console drains it: the main page's refused retrain requests are not this page's.
    browser.manage().logs().get(LogType.BROWSER);
    browser.findElement(By.cssSelector("#studies a.study-link")).click();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript(
                        "return document.body.dataset.loaded === 'true'"
                            + " && document.querySelectorAll('#study-slices img').length > 0"
                            + " && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0);")));
    assertThat(browser.getCurrentUrl()).contains("/study.html?uid=");
    assertThat(browser.findElement(By.id("study-uid")).getText()).isEqualTo(uid);
    List<io.spineflow.imaging.levels.LevelMeasurement> levels = result.report().levels();
    assertThat(browser.findElements(By.cssSelector("#levels tbody tr"))).hasSize(levels.size());
    assertThat(levels).anyMatch(l -> l.name().equals("L4/L5") && l.anteriorMm() != null);
    for (io.spineflow.imaging.levels.LevelMeasurement l : levels) {
      WebElement row =
          browser.findElement(By.cssSelector("#levels tr[data-level='" + l.name() + "']"));
      assertShown(row, "td.anterior", l.name(), l.anteriorMm());
      assertShown(row, "td.middle", l.name(), l.middleMm());
      assertShown(row, "td.posterior", l.name(), l.posteriorMm());
      assertShown(row, "td.canal", l.name(), l.canalApMm());
    }
    WebElement discs = browser.findElement(By.cssSelector("#volumes tbody tr:nth-child(3)"));
    assertThat(discs.getText()).startsWith("discs");
    assertShown(
        discs,
        "td:nth-child(2)",
        "discs mL",
        result.event().getClassVolumes().get(2).getMillilitres());
    assertThat(browser.findElement(By.id("mixed-warning")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("mixed-warning")).getText())
        .contains("Mixed model versions");
    Number overlay =
        (Number)
            js.executeScript(
                "return document.querySelector('#study-slices img.overlay-prediction').naturalWidth;");
    assertThat(overlay.intValue()).isGreaterThan(0);

    String labels = browser.findElement(By.id("download-labels")).getAttribute("href");
    String seg = browser.findElement(By.id("download-seg")).getAttribute("href");
    assertThat(download(labels, "Bearer " + VIEWER).body()).isEqualTo(result.labelMha());
    HttpResponse<byte[]> segFile = download(seg, "Bearer " + VIEWER);
    assertThat(segFile.body()).isEqualTo(result.segPart10());
    assertThat(segFile.headers().firstValue("Content-Disposition").orElse(""))
        .contains(uid + "-seg.dcm");
    assertThat(download(seg, null).statusCode()).isEqualTo(401);
    String report = browser.findElement(By.id("download-report")).getAttribute("href");
    HttpResponse<byte[]> reportFile = download(report, "Bearer " + VIEWER);
    assertThat(reportFile.body()).isEqualTo(result.srPart10());
    assertThat(reportFile.headers().firstValue("Content-Disposition").orElse(""))
        .contains(uid + "-sr.dcm");
    assertThat(status(base + "/api/studies/" + uid, null)).isEqualTo(401);
    assertThat(status(base + "/api/studies/no.such.study", "Bearer " + VIEWER)).isEqualTo(404);
    assertThat(consoleErrors(browser)).as("browser console errors on the study page").isEmpty();
    Files.write(
        Path.of("target").toAbsolutePath().resolve("study.png"),
        browser.getScreenshotAs(OutputType.BYTES));
  }

  /** The console's errors since it was last read (reading drains it). */
  private static List<LogEntry> consoleErrors(ChromeDriver browser) {
    List<LogEntry> severe = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(e);
      }
    }
    return severe;
  }

  /** The cell shows {@code value} to two decimals ("—" for none). */
  private static void assertShown(WebElement row, String cell, String what, Double value) {
    String text = row.findElement(By.cssSelector(cell)).getText();
    if (value == null) {
      assertThat(text).as(what + " " + cell).isEqualTo("—");
    } else {
      assertThat(Double.parseDouble(text)).as(what + " " + cell).isCloseTo(value, within(0.0051));
    }
  }

  private HttpResponse<byte[]> download(String url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return https().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Partially labelled studies (discs only; vertebral bodies and discs) as inference scores them:
   * the page shows the discs' Dice and, for vertebrae and canal, no value ("—", "not labelled",
   * bodies' recall and area ratio), never a 0; and the Dice-drift alert stays quiet although the
   * live model's vertebra and canal baselines are so high that a 0 would have fired it.
   */
  @Test
  void partialLabelsShowNoValueForTheClassesTheyLeaveUnlabelled() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium is not installed (needs /usr/bin/chromium and /usr/bin/chromedriver:"
            + " apt-get install -y chromium chromium-driver); the browser test cannot run");
    String bootstrap = SharedKafka.bootstrapServers();
    Topics topics = TestTopics.create(bootstrap, 2);
    ServiceContext context =
        ServiceContext.from(
            DashboardService.NAME,
            Settings.of(
                    Map.of(
                        CommonSettings.BOOTSTRAP_SERVERS.name(),
                        bootstrap,
                        CommonSettings.TOPIC_PREFIX.name(),
                        topics.prefix(),
                        CommonSettings.TOPIC_PARTITIONS.name(),
                        "2",
                        CommonSettings.DATA_DIR.name(),
                        dataDir.toString(),
                        CommonSettings.STARTUP_TIMEOUT.name(),
                        "60s",
                        DashboardSettings.OPERATOR_TOKEN.name(),
                        TOKEN,
                        DashboardSettings.GRACE.name(),
                        "1h",
                        // Few slices fill the Dice window: a 0 for vertebrae or canal would fire.
                        DashboardSettings.DICE_WINDOW.name(),
                        "8",
                        // Every slice in the gallery, both kinds of label.
                        DashboardSettings.GALLERY_SIZE.name(),
                        "100"))
                .with(DashboardSettings.VIEWER_TOKEN.name(), VIEWER)
                .with(CommonSettings.HTTP_TLS_CERT.name(), cert().toString())
                .with(
                    CommonSettings.HTTP_TLS_KEY.name(), dataDir.resolve("tls/key.pem").toString()));

    StandInSegmenter segmenter = StandInSegmenter.onPhantoms();
    Instant now = Instant.now();
    Instant start = now.minus(Duration.ofMinutes(6));
    SliceLabelScope discsOnly =
        new SliceLabelScope(Set.of(LabelledStructure.DISCS), 0, Integer.MAX_VALUE);
    SliceLabelScope bodiesAndDiscs =
        new SliceLabelScope(
            Set.of(LabelledStructure.VERTEBRAL_BODIES, LabelledStructure.DISCS),
            0,
            Integer.MAX_VALUE);
    List<PartialSlice> sent = new ArrayList<>();
    int n = 0;
    for (SliceLabelScope scope : List.of(discsOnly, bodiesAndDiscs)) {
      for (PhantomSlices.SliceData s : PhantomSlices.study(Sequence.T2, 900 + sent.size(), false)) {
        Instant at = start.plusSeconds(10L * n++);
        StandInSegmenter.Prediction p = segmenter.predict(s.pixels(), s.label(), 0.3);
        Quality q = Events.partialQuality(s, p.probabilities(), p.classes(), scope, 1, at);
        sent.add(new PartialSlice(s, p.classes(), scope, q, at));
      }
    }
    double lowestDiscDice =
        sent.stream()
            .flatMap(x -> x.quality().getClassMetrics().stream())
            .filter(m -> m.getClassIndex() == 3 && m.getDice() != null)
            .mapToDouble(ClassMetrics::getDice)
            .min()
            .orElseThrow();
    assertThat(sent)
        .as("inference scores no canal on these labels")
        .allSatisfy(
            x -> assertThat(x.quality().getClassMetrics()).noneMatch(m -> m.getClassIndex() == 2));

    try (ServiceLauncher launcher = new ServiceLauncher();
        PipelineTraffic traffic = new PipelineTraffic(bootstrap, topics)) {
      ServiceLauncher.prepareKafka(context, DashboardService.ownedTopics(topics));
      launcher.launch(context, DashboardService.create(context), 0, DashboardService::routes);
      String base = "https://localhost:" + launcher.lastPort();
      // Vertebrae and canal at 0.99: any counted value below 0.94 would fire. The discs' baseline
      // is their lowest Dice sent, so their (legitimate) rule cannot fire on this traffic.
      traffic.send(
          topics.models(),
          Events.MODEL,
          Events.announcement(
              1,
              io.spineflow.events.AnnouncementKind.PROMOTED,
              Events.validation(0.99, 0.99, lowestDiscDice),
              start.minusSeconds(60)),
          start.minusSeconds(60));
      traffic.flush();
      await()
          .atMost(WAIT)
          .until(() -> pageState(base).map(DashboardBrowserIT::hasLiveModel).orElse(false));
      for (PartialSlice x : sent) {
        String key = Events.key(x.slice());
        Slice slice =
            Slice.newBuilder(Events.slice(x.slice(), true, x.at().minusSeconds(3), x.at()))
                .setLabelScope(
                    LabelScope.newBuilder()
                        .setClasses(
                            x.scope().bodiesOnly()
                                ? List.of(LabelledClass.VERTEBRAL_BODIES, LabelledClass.DISCS)
                                : List.of(LabelledClass.DISCS))
                        .setFirstRow(0)
                        .setLastRow(PhantomSlices.SIZE - 1)
                        .build())
                .build();
        traffic.send(topics.slices(), key, slice, x.at());
        traffic.send(
            topics.masks(),
            key,
            Events.mask(x.slice(), x.classes(), 1, x.at().minusSeconds(3), x.at()),
            x.at());
        traffic.send(topics.quality(), key, x.quality(), x.at());
      }
      traffic.flush();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  pageState(base)
                      .map(
                          state ->
                              countAll(state) == sent.size()
                                  && labelledAll(state) == sent.size()
                                  && ((List<?>) state.get("gallery")).size() == sent.size())
                      .orElse(false));

      ChromeDriver browser = browser();
      try {
        // The sign-in link the demo prints: the token leaves the address bar at once.
        browser.get(base + "/?token=" + VIEWER);
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().equals(base + "/"));
        JavascriptExecutor js = browser;
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    Boolean.TRUE.equals(
                        js.executeScript(
                            "return document.body.dataset.loaded === 'true'"
                                + " && document.querySelectorAll('#gallery .chip').length > 0"
                                + " && document.querySelectorAll('#drift-status .num').length === 3;")));

        // Key figures: the discs have a Dice; vertebrae and canal have none, not a 0.
        assertThat(text(browser, "kpi-dice-1")).isEqualTo("—");
        assertThat(text(browser, "kpi-dice-2")).isEqualTo("—");
        assertThat(text(browser, "kpi-dice-3")).matches("0\\.\\d{3}|1\\.000");
        // The Dice chart plots nothing for them.
        assertThat(
                js.executeScript(
                    "return Chart.getChart('dice-chart').data.datasets[0].data.length"))
            .isEqualTo(0L);
        assertThat(
                js.executeScript(
                    "return Chart.getChart('dice-chart').data.datasets[1].data.length"))
            .isEqualTo(0L);
        assertThat(
                (Long)
                    js.executeScript(
                        "return Chart.getChart('dice-chart').data.datasets[2].data.length"))
            .isPositive();
        // The tables: "—" for vertebrae and canal, a value for the discs.
        for (String table : List.of("by-sequence", "by-version")) {
          List<WebElement> cells =
              browser.findElements(By.cssSelector("#" + table + " tbody tr:first-child td"));
          assertThat(cells).hasSize(5);
          assertThat(cells.get(1).getText()).as(table + " vertebrae").isEqualTo("—");
          assertThat(cells.get(2).getText()).as(table + " canal").isEqualTo("—");
          assertThat(cells.get(3).getText()).as(table + " discs").matches("0\\.\\d{3}|1\\.000");
        }
        // The gallery: "not labelled" and the bodies' recall and area ratio, never a Dice of 0.
        List<String> chips =
            browser.findElements(By.cssSelector("#gallery .chip")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(chips).contains("Canal not labelled", "Vertebrae not labelled");
        assertThat(chips).anyMatch(c -> c.startsWith("Vertebrae bodies: recall "));
        assertThat(chips).noneMatch(c -> c.matches("(Vertebrae|Canal) 0\\.\\d+"));
        assertThat(
                browser.findElements(By.cssSelector("#gallery figcaption")).stream()
                    .map(e -> e.getAttribute("textContent"))
                    .toList())
            .contains("ground truth: discs only", "ground truth: vertebral bodies, discs only");
        // The drift monitor: vertebrae and canal not labelled; no alert, no retrain request.
        List<String> drift =
            browser.findElements(By.cssSelector("#drift-status .num")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(drift.get(0)).isEqualTo("not labelled");
        assertThat(drift.get(1)).isEqualTo("not labelled");
        assertThat(drift.get(2)).matches("0\\.\\d{3} \\(8/8\\)|1\\.000 \\(8/8\\)");
        assertThat(text(browser, "kpi-alerts")).isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("#alerts li.none"))).hasSize(1);
        assertThat(browser.findElement(By.id("alert-banner")).isDisplayed()).isFalse();
        assertThat(
                js.executeScript(
                    "return ['.kpis', '#by-sequence', '#by-version', '#gallery', '#drift-status .bars']"
                        + ".some(q => document.querySelector(q).innerText.includes('0.000'));"))
            .as("no 0.000 where Dice is shown")
            .isEqualTo(false);
      } finally {
        browser.quit();
      }
    }
  }

  /** A partially labelled slice as inference would have scored it. */
  private record PartialSlice(
      PhantomSlices.SliceData slice,
      byte[] classes,
      SliceLabelScope scope,
      Quality quality,
      Instant at) {}

  private static String text(ChromeDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static boolean hasLiveModel(Map<String, Object> state) {
    return !((List<?>) ((Map<?, ?>) state.get("models")).get("live")).isEmpty();
  }

  private java.util.Optional<Map<String, Object>> pageState(String base) throws Exception {
    HttpResponse<String> response =
        https()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/state?minutes=60"))
                    .header("Authorization", "Bearer " + VIEWER)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200
        ? java.util.Optional.of(io.spineflow.dashboard.Json.readPageMap(response.body()))
        : java.util.Optional.empty();
  }

  private static List<RetrainRequest> fromDashboard(
      List<ConsumerRecord<String, RetrainRequest>> records) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(r -> r.getOrigin() == RetrainOrigin.DASHBOARD)
        .toList();
  }

  private static void clickAndAwaitResult(ChromeDriver browser, String expected) {
    WebElement result = browser.findElement(By.id("retrain-result"));
    browser.executeScript("arguments[0].textContent = '';", result);
    browser.findElement(By.id("retrain-button")).click();
    await().atMost(WAIT).until(() -> result.getText().contains(expected));
  }

  /** Waits until the API shows everything the story sent, so the page opens on a settled state. */
  private void awaitEverythingAggregated(String base, PipelineTraffic traffic) throws Exception {
    HttpClient http = https();
    long labelled = traffic.quality().stream().filter(q -> !q.getClassMetrics().isEmpty()).count();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create(base + "/api/state?minutes=60"))
                          .header("Authorization", "Bearer " + VIEWER)
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200) {
                return false;
              }
              Map<String, Object> state = io.spineflow.dashboard.Json.readPageMap(response.body());
              return countAll(state) == traffic.quality().size()
                  && labelledAll(state) == labelled
                  && ((List<?>) state.get("gallery")).size() == 12
                  && ((Number) ((Map<?, ?>) state.get("deadLetters")).get("total")).intValue() == 4
                  && ((List<?>) ((Map<?, ?>) state.get("models")).get("timeline")).size() == 7
                  && throughputCount(state) == traffic.slices();
            });
  }

  static long countAll(Map<String, Object> state) {
    return sumOverAll(state, "count");
  }

  private static long labelledAll(Map<String, Object> state) {
    return sumOverAll(state, "labelled");
  }

  private static long sumOverAll(Map<String, Object> state, String field) {
    for (Object s : (List<?>) state.get("quality")) {
      Map<?, ?> series = (Map<?, ?>) s;
      if ("all".equals(series.get("key"))) {
        return ((List<?>) series.get("points"))
            .stream().mapToLong(p -> ((Number) ((Map<?, ?>) p).get(field)).longValue()).sum();
      }
    }
    return 0;
  }

  static long throughputCount(Map<String, Object> state) {
    return ((List<?>) state.get("throughput"))
        .stream().mapToLong(p -> ((Number) ((Map<?, ?>) p).get("count")).longValue()).sum();
  }

  /**
   * The test's certificate (made once per test in {@code dataDir/tls}): the dashboard serves it,
   * the JDK client and Chromium trust it.
   */
  private Path cert() throws Exception {
    Path cert = dataDir.resolve("tls/cert.pem");
    if (!Files.exists(cert)) {
      certificate =
          SelfSignedCertificate.generate(
              "spineflow browser test", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
      Tls.writePem(certificate, cert, dataDir.resolve("tls/key.pem"));
    }
    return cert;
  }

  private SelfSignedCertificate.Pair certificate;

  private HttpClient https() throws Exception {
    return HttpClient.newBuilder().sslContext(Tls.trusting(cert())).build();
  }

  private int status(String url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return https().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private ChromeDriver browser() throws Exception {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1440,1000",
        // Trust the test's self-signed key, and no other (Chromium needs its own profile for it).
        "--ignore-certificate-errors-spki-list=" + Tls.spkiSha256(certificate.certificate()),
        "--user-data-dir=" + Files.createDirectories(dataDir.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /**
   * The whole page, at 1440 px wide, to {@code target/dashboard.png}, or to the repository's {@code
   * docs/dashboard.png} with {@code -Ddashboard.screenshot.docs=true}.
   */
  private static void screenshot(ChromeDriver browser, JavascriptExecutor js) throws Exception {
    Number height = (Number) js.executeScript("return document.documentElement.scrollHeight;");
    Number chrome = (Number) js.executeScript("return window.outerHeight - window.innerHeight;");
    browser.manage().window().setSize(new Dimension(1440, height.intValue() + chrome.intValue()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript(
                        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0);")));
    js.executeScript("window.scrollTo(0, 0);");
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Path dir =
        Boolean.getBoolean("dashboard.screenshot.docs")
            ? repositoryRoot().resolve("docs")
            : Path.of("target").toAbsolutePath();
    Files.createDirectories(dir);
    Files.write(dir.resolve("dashboard.png"), png);
    assertThat(png.length).isGreaterThan(50_000);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("dashboard"))) {
        return p;
      }
    }
    return dir;
  }
}
