package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both overlays as {@code kubectl kustomize} builds them (offline: no cluster), with throw-away
 * secret files in a copy of {@code deploy/}: the patches merge, every resource lands in the
 * namespace, the Secrets keep the names the custom resources use. Skipped where kubectl is absent
 * ({@link KubernetesManifestsTest} checks the files themselves everywhere).
 */
class KustomizeBuildTest {
  @TempDir Path work;

  @Test
  void bothOverlaysBuildAndTheGpuPatchReachesInference() throws Exception {
    assumeTrue(kubectlPresent(), "kubectl (with its built-in kustomize) is not installed");
    Path deploy = copyWithDummySecrets(ReadmeTest.readme().getParent().resolve("deploy"));
    List<HasMetadata> cpu = build(deploy.resolve("overlays/cpu"));
    List<HasMetadata> gpu = build(deploy.resolve("overlays/gpu"));
    assertThat(gpu).hasSameSizeAs(cpu);
    for (HasMetadata r : gpu) {
      if (!r.getKind().equals("Namespace")) {
        assertThat(r.getMetadata().getNamespace())
            .as(r.getKind() + " " + r.getMetadata().getName())
            .isEqualTo("spineflow");
      }
    }
    assertThat(
            gpu.stream()
                .filter(r -> r.getKind().equals("Secret"))
                .map(r -> r.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "spineflow-tokens", "spineflow-s3", "spineflow-tls", "spineflow-keda-kafka");
    Container inference = inference(gpu);
    assertThat(inference.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    // The patch adds to the base's container instead of replacing it.
    assertThat(inference.getEnv().stream().map(e -> e.getName()))
        .contains("SPINEFLOW_INFERENCE_DEVICE", "SPINEFLOW_MODEL_STORE", "PYTORCH_LIBRARY_PATH");
    assertThat(inference.getStartupProbe()).isNotNull();
    assertThat(inference(cpu).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  private static Container inference(List<HasMetadata> resources) {
    return resources.stream()
        .filter(StatefulSet.class::isInstance)
        .map(s -> ((StatefulSet) s).getSpec().getTemplate().getSpec().getContainers().get(0))
        .findFirst()
        .orElseThrow();
  }

  private static boolean kubectlPresent() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** deploy/ copied, with each secret file the base's generators read filled with a dummy. */
  private Path copyWithDummySecrets(Path deploy) throws IOException {
    Path copy = work.resolve("deploy");
    try (Stream<Path> files = Files.walk(deploy)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(deploy.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.getParent().endsWith("secrets") || f.toString().endsWith(".example")) {
          Files.copy(f, target);
        }
      }
    }
    Path secrets = copy.resolve("base/secrets");
    for (String env : List.of("tokens.env", "s3.env")) {
      String filled =
          Files.readAllLines(secrets.resolve(env + ".example")).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .map(l -> l + "0123456789abcdef0123")
              .collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(secrets.resolve(env), filled);
    }
    for (String pem : List.of("tls.crt", "tls.key", "ca.crt")) {
      Files.writeString(secrets.resolve(pem), "dummy\n");
    }
    return copy;
  }

  private static List<HasMetadata> build(Path overlay) throws Exception {
    Process p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", overlay, err).isZero();
    return KubernetesManifestsTest.parse(out, overlay.toString());
  }
}
