package io.spineflow.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.dashboard.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Event text reaches the page only as data: the JSON escapes markup characters, the script renders
 * with textContent (no HTML parsing of data anywhere), the page has no inline script, and the
 * Content-Security-Policy allows only the dashboard's own files.
 */
class PageSafetyTest {
  private final StaticAssets assets = new StaticAssets();

  private String text(String path) {
    return new String(assets.find(path).orElseThrow().bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void jsonEscapesMarkupCharacters() {
    String hostile = "</script><img src=x onerror=alert('x')> & co";
    String json = new String(Json.page(Map.of("message", hostile)), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("<", ">", "&", "'");
    assertThat(json).contains("\\u003C/script\\u003E");
    assertThat(Json.readPageMap(json)).containsEntry("message", hostile);
  }

  @Test
  void theScriptsNeverParseDataAsHtml() {
    for (String file : new String[] {"/static/app.js", "/static/study.js"}) {
      String script = text(file);
      assertThat(script)
          .as(file)
          .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
          .doesNotContain("new Function", "setTimeout('", "setAttribute('on")
          .contains("textContent");
    }
  }

  @Test
  void aDownloadIsNamedOnlyByAPlainFileName() {
    assertThat(DashboardHttp.safeFileName("1.2.3-seg.dcm", "seg.dcm")).isEqualTo("1.2.3-seg.dcm");
    assertThat(DashboardHttp.safeFileName("../../etc/passwd", "seg.dcm")).isEqualTo("seg.dcm");
    assertThat(DashboardHttp.safeFileName("a\"; b=c", "labels.mha")).isEqualTo("labels.mha");
    assertThat(DashboardHttp.safeFileName(null, "labels.mha")).isEqualTo("labels.mha");
  }

  @Test
  void thePagesHaveNoInlineScriptOrStyle() {
    for (String path : new String[] {"/", "/study.html"}) {
      String page = text(path);
      assertThat(page).as(path).doesNotContainPattern("<script(?![^>]*\\ssrc=)");
      assertThat(page)
          .as(path)
          .doesNotContain(" style=", "<style", " onclick=", " onload=", "javascript:");
    }
    assertThat(text("/")).contains("/vendor/chart.umd.js", "/static/app.js", "/static/style.css");
    assertThat(text("/study.html")).contains("/static/study.js", "/static/style.css");
  }

  @Test
  void theContentSecurityPolicyAllowsOnlyOwnFiles() {
    assertThat(DashboardHttp.CONTENT_SECURITY_POLICY)
        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
  }

  @Test
  void everyFileThePageLoadsIsServedFromTheClasspath() {
    assertThat(assets.find("/").orElseThrow().contentType()).startsWith("text/html");
    assertThat(assets.find("/static/app.js").orElseThrow().contentType())
        .startsWith("text/javascript");
    assertThat(assets.find("/static/style.css")).isPresent();
    assertThat(assets.find("/static/study.js")).isPresent();
    assertThat(assets.find("/study.html").orElseThrow().contentType()).startsWith("text/html");
    assertThat(assets.find("/static/favicon.svg")).isPresent();
    assertThat(assets.find("/favicon.ico")).isPresent();
    assertThat(text(StaticAssets.CHART_JS_PATH)).contains("Chart.js");
    assertThat(assets.find("/static/../../secret")).isEmpty();
    assertThat(assets.find("/static/missing.js")).isEmpty();
    assertThat(assets.find("/etc/passwd")).isEmpty();
  }
}
