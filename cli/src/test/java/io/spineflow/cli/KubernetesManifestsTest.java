package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spineflow.inference.InferenceService;
import io.spineflow.inference.InferenceSettings;
import io.spineflow.platform.CommonSettings;
import io.spineflow.platform.OpsServer;
import io.spineflow.platform.Setting;
import io.spineflow.platform.Settings;
import io.spineflow.platform.blob.BlobStoreSettings;
import io.spineflow.schemas.Topic;
import io.spineflow.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The Kubernetes manifests under {@code deploy/}, checked offline against the code they deploy:
 * parsed with the fabric8 Kubernetes model (Strimzi, KEDA and Prometheus Operator resources as
 * generic resources), every environment variable a setting of that service (the registry the
 * configuration table is printed from), every probe on the port that serves {@code /health}, every
 * image the one the jib profile builds, the KafkaTopics equal to the topic registry, and the
 * kustomizations listing every file. Nothing is applied: no cluster is reachable here.
 */
class KubernetesManifestsTest {
  /** DJL's own variables (README, "With a GPU"): read by the engine, not spineflow settings. */
  private static final Set<String> DJL_VARIABLES =
      Set.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR");

  /**
   * The services with routes of their own (upload, the dashboard) on their main port; the others,
   * with http.ops.port set, open only the ops port (OpsServer), so they declare no other.
   */
  private static final Set<String> WITH_ROUTES = Set.of("ingest", "dashboard");

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static Path deploy;
  private static Map<Path, List<HasMetadata>> manifests;

  @BeforeAll
  static void parseEveryManifest() throws IOException {
    deploy = ReadmeTest.readme().getParent().resolve("deploy");
    manifests = new LinkedHashMap<>();
    for (Path dir : kustomizationDirs()) {
      for (Path file : yamlFiles(dir)) {
        if (!file.getFileName().toString().equals("kustomization.yaml")) {
          manifests.put(file, parse(file));
        }
      }
    }
  }

  private static List<Path> kustomizationDirs() throws IOException {
    List<Path> dirs = new ArrayList<>(List.of(deploy.resolve("base")));
    try (Stream<Path> overlays = Files.list(deploy.resolve("overlays"))) {
      overlays.sorted().forEach(dirs::add);
    }
    return dirs;
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** Each document of a file; known kinds become their model class, custom resources generic. */
  private static List<HasMetadata> parse(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** The documents of a YAML stream ({@code ---} apart); comment-only documents are skipped. */
  static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> documents = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
        Object parsed = YAML.unmarshal(document);
        assertThat(parsed).as("%s: a Kubernetes resource", source).isInstanceOf(HasMetadata.class);
        documents.add((HasMetadata) parsed);
      }
    }
    return documents;
  }

  private static Stream<HasMetadata> all() {
    return manifests.values().stream().flatMap(List::stream);
  }

  private static <T extends HasMetadata> Stream<T> all(Class<T> type) {
    return all().filter(type::isInstance).map(type::cast);
  }

  private static Stream<GenericKubernetesResource> all(String kind) {
    return all(GenericKubernetesResource.class).filter(r -> r.getKind().equals(kind));
  }

  private static HasMetadata named(String kind, String name) {
    return all()
        .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** Every workload's pod spec by its name, the base's and the overlays' patches alike. */
  private static List<Map.Entry<String, PodSpec>> podSpecs() {
    List<Map.Entry<String, PodSpec>> specs = new ArrayList<>();
    all(Deployment.class)
        .forEach(
            d ->
                specs.add(
                    Map.entry(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
    all(StatefulSet.class)
        .forEach(
            s ->
                specs.add(
                    Map.entry(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec())));
    return specs;
  }

  private static Map<String, String> configMap(String name) {
    return ((ConfigMap) named("ConfigMap", name)).getData();
  }

  private static Set<String> envVars(List<Setting> settings) {
    return settings.stream().map(Setting::envVar).collect(Collectors.toSet());
  }

  private static Set<String> settingsOf(String service) {
    return envVars(ServiceCommand.settingsOf(ServiceModules.named(service)));
  }

  @Test
  void everyManifestParsesAndEveryKindIsExpected() {
    assertThat(manifests).isNotEmpty();
    Set<String> kinds =
        all().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
    assertThat(kinds)
        .containsExactly(
            "ConfigMap",
            "Deployment",
            "Kafka",
            "KafkaNodePool",
            "KafkaTopic",
            "KafkaUser",
            "Namespace",
            "ScaledObject",
            "Service",
            "ServiceMonitor",
            "StatefulSet",
            "TriggerAuthentication");
  }

  @Test
  void theKustomizationsListEveryFileAndEveryListedFileExists() throws IOException {
    for (Path dir : kustomizationDirs()) {
      Map<String, Object> kustomization = kustomization(dir);
      List<String> listed = new ArrayList<>();
      listed.addAll(strings(kustomization.get("resources")));
      for (Object patch : list(kustomization.get("patches"))) {
        listed.add((String) ((Map<?, ?>) patch).get("path"));
      }
      for (String entry : listed) {
        assertThat(dir.resolve(entry)).as("%s lists %s", dir, entry).exists();
      }
      Set<String> files =
          yamlFiles(dir).stream()
              .map(f -> f.getFileName().toString())
              .filter(f -> !f.equals("kustomization.yaml"))
              .collect(Collectors.toSet());
      assertThat(listed).as("%s/kustomization.yaml", dir).containsAll(files);
      if (!dir.endsWith("base")) {
        assertThat(listed).as("an overlay builds on the base").contains("../../base");
      }
    }
  }

  @Test
  void everyGeneratedSecretHasAnExampleAndEveryKeyUsedIsInIt() throws IOException {
    Path base = deploy.resolve("base");
    Map<String, Set<String>> keys = new HashMap<>();
    for (Object generator : list(kustomization(base).get("secretGenerator"))) {
      Map<?, ?> g = (Map<?, ?>) generator;
      Set<String> secretKeys = new TreeSet<>();
      for (String env : strings(g.get("envs"))) {
        Path example = base.resolve(env + ".example");
        assertThat(example).as("the form of %s", env).exists();
        Files.readAllLines(example).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .forEach(l -> secretKeys.add(l.substring(0, l.indexOf('='))));
      }
      strings(g.get("files")).forEach(f -> secretKeys.add(f.substring(0, f.indexOf('='))));
      strings(g.get("literals")).forEach(l -> secretKeys.add(l.substring(0, l.indexOf('='))));
      keys.put((String) g.get("name"), secretKeys);
    }
    for (Map.Entry<String, PodSpec> pod : podSpecs()) {
      for (Container container : pod.getValue().getContainers()) {
        for (EnvVar env : container.getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            var ref = env.getValueFrom().getSecretKeyRef();
            assertThat(keys)
                .as("%s: secret %s", pod.getKey(), ref.getName())
                .containsKey(ref.getName());
            assertThat(keys.get(ref.getName()))
                .as("%s: %s", pod.getKey(), env.getName())
                .contains(ref.getKey());
          }
        }
      }
    }
  }

  @Test
  void everyEnvironmentVariableIsASettingOfThatService() {
    assertThat(envVars(CommonSettings.all())).containsAll(configMap("spineflow-settings").keySet());
    assertThat(envVars(BlobStoreSettings.all()))
        .containsAll(configMap("spineflow-blobstore").keySet());
    for (Map.Entry<String, PodSpec> pod : podSpecs()) {
      Set<String> allowed = settingsOf(pod.getKey());
      for (Container container : pod.getValue().getContainers()) {
        for (EnvVar env : container.getEnv()) {
          if (!DJL_VARIABLES.contains(env.getName())) {
            assertThat(allowed)
                .as("%s: %s is one of its settings", pod.getKey(), env.getName())
                .contains(env.getName());
          }
        }
      }
    }
  }

  /** What the launcher would read in that container: its config maps, then its own env. */
  private static Settings settingsIn(Container container) {
    Map<String, String> env = new HashMap<>();
    container.getEnvFrom().forEach(from -> env.putAll(configMap(from.getConfigMapRef().getName())));
    container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return new Settings(Map.of(), env);
  }

  @Test
  void everyWorkloadRunsItsServiceFromTheBuiltImageWithProbesOnTheOpsPort() throws Exception {
    String image = builtImage();
    List<String> base = new ArrayList<>();
    for (Path file : yamlFiles(deploy.resolve("base"))) {
      for (HasMetadata r : manifests.getOrDefault(file, List.of())) {
        if (r instanceof Deployment || r instanceof StatefulSet) {
          base.add(r.getMetadata().getName());
          Container c = podSpec(r).getContainers().get(0);
          assertThat(c.getImage()).as(r.getMetadata().getName()).isEqualTo(image);
          assertThat(c.getArgs()).containsExactly(r.getMetadata().getName());
          assertServesItsProbes(r.getMetadata().getName(), c);
        }
      }
    }
    assertThat(base)
        .containsExactlyInAnyOrderElementsOf(
            ServiceModules.all().stream().map(ServiceModule::name).toList());
  }

  private static PodSpec podSpec(HasMetadata workload) {
    return workload instanceof Deployment d
        ? d.getSpec().getTemplate().getSpec()
        : ((StatefulSet) workload).getSpec().getTemplate().getSpec();
  }

  private static void assertServesItsProbes(String service, Container container) {
    Settings settings = settingsIn(container);
    int opsPort = settings.integer(CommonSettings.HTTP_OPS_PORT, 1, 65535);
    Map<String, Integer> ports =
        container.getPorts().stream()
            .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    // http.port unset: the service listens on its own default.
    assertThat(settings.string(CommonSettings.HTTP_PORT)).isEmpty();
    if (WITH_ROUTES.contains(service) || ports.containsKey("http")) {
      assertThat(ports)
          .as(service)
          .containsEntry("http", ServiceModules.named(service).defaultPort());
    }
    assertThat(ports).containsEntry("ops", opsPort);
    String scheme = settings.string(CommonSettings.HTTP_TLS_CERT).isEmpty() ? "HTTP" : "HTTPS";
    for (Probe probe :
        List.of(
            container.getStartupProbe(),
            container.getReadinessProbe(),
            container.getLivenessProbe())) {
      assertThat(probe).as("%s: startup, readiness and liveness probes", service).isNotNull();
      assertThat(probe.getHttpGet().getPath()).isEqualTo(OpsServer.HEALTH_PATH);
      assertThat(ports.get(probe.getHttpGet().getPort().getStrVal()))
          .as(service)
          .isEqualTo(opsPort);
      assertThat(probe.getHttpGet().getScheme()).as(service).isEqualTo(scheme);
    }
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKeys("memory");
  }

  /** The jib profile's target image, read from cli/pom.xml as Maven would resolve it. */
  private static String builtImage() throws Exception {
    Path root = deploy.getParent();
    String image = pomProperty(root.resolve("cli/pom.xml"), "spineflow.image");
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(root.resolve("cli/pom.xml").toFile());
    String version = text(pom, "parent", "version");
    assertThat(image).contains("${project.version}");
    assertThat(pomText(root.resolve("cli/pom.xml"))).contains("<image>${spineflow.image}</image>");
    return image.replace("${project.version}", version);
  }

  @Test
  void theJibImageStartsTheLauncherAsTheDockerfileDoes() throws IOException {
    Path root = deploy.getParent();
    Matcher docker =
        Pattern.compile("(?m)^ENTRYPOINT \\[(.+)]$")
            .matcher(Files.readString(root.resolve("Dockerfile")));
    assertThat(docker.find()).as("the Dockerfile's ENTRYPOINT").isTrue();
    List<String> dockerfile =
        Stream.of(docker.group(1).split(",")).map(a -> a.strip().replace("\"", "")).toList();
    List<String> jib = List.of(pomProperty(root.resolve("cli/pom.xml"), "entrypoint").split(","));
    // The same JVM, flags and main class; only where the jars lie differs (Jib's layout).
    assertThat(jib).hasSameSizeAs(dockerfile);
    for (int i = 0; i < jib.size(); i++) {
      if (!dockerfile.get(i).startsWith("/opt/spineflow/")) {
        assertThat(jib.get(i)).isEqualTo(dockerfile.get(i));
      }
    }
    assertThat(jib.get(jib.size() - 1)).isEqualTo(Spineflow.class.getName());
    assertThat(pomProperty(root.resolve("cli/pom.xml"), "user")).startsWith("10001");
    assertThat(Files.readString(root.resolve("Dockerfile"))).contains("--uid 10001");
    all(Deployment.class)
        .forEach(
            d ->
                assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                    .isEqualTo(10001L));
  }

  private static String text(Document pom, String parent, String child) {
    var element = (org.w3c.dom.Element) pom.getElementsByTagName(parent).item(0);
    return element.getElementsByTagName(child).item(0).getTextContent().trim();
  }

  private static String pomText(Path pom) throws IOException {
    return Files.readString(pom, StandardCharsets.UTF_8);
  }

  private static String pomProperty(Path pom, String name) throws IOException {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pomText(pom));
    assertThat(m.find()).as("%s in %s", name, pom).isTrue();
    return m.group(1).trim();
  }

  @Test
  void everyServiceExposesItsPortsAndPrometheusScrapesTheOpsPort() {
    for (ServiceModule module : ServiceModules.all()) {
      Service service = (Service) named("Service", module.name());
      Map<String, Integer> ports =
          service.getSpec().getPorts().stream()
              .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));
      assertThat(ports).as(module.name()).containsKey("ops");
      if (WITH_ROUTES.contains(module.name()) || ports.containsKey("http")) {
        assertThat(ports).as(module.name()).containsEntry("http", module.defaultPort());
      }
      assertThat(service.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "spineflow");
    }
    GenericKubernetesResource monitor =
        (GenericKubernetesResource) named("ServiceMonitor", "spineflow");
    Map<?, ?> endpoint = (Map<?, ?>) list(monitor.get("spec", "endpoints")).get(0);
    assertThat(endpoint.get("port")).isEqualTo("ops");
    assertThat(endpoint.get("path")).isEqualTo(OpsServer.METRICS_PATH);
    assertThat(endpoint.get("scheme")).isEqualTo("https");
  }

  @Test
  void theKafkaTopicsAreTheTopicRegistry() {
    int partitions =
        new Settings(Map.of(), configMap("spineflow-settings"))
            .integer(CommonSettings.TOPIC_PARTITIONS, 1, 10_000);
    Topics registry =
        new Topics(
            new Settings(Map.of(), configMap("spineflow-settings"))
                .string(CommonSettings.TOPIC_PREFIX),
            partitions);
    Map<String, String> expected = new TreeMap<>();
    for (Topic<String, ?> topic : registry.all()) {
      Map<String, String> configs = new TreeMap<>(topic.settings().kafkaConfigs());
      configs.put("min.insync.replicas", "2");
      expected.put(topic.name(), topic.settings().partitions() + " x3 " + configs);
    }
    Map<String, String> declared = new TreeMap<>();
    all("KafkaTopic")
        .forEach(
            t -> {
              Map<String, String> configs = new TreeMap<>();
              ((Map<?, ?>) t.get("spec", "config"))
                  .forEach((k, v) -> configs.put((String) k, String.valueOf(v)));
              declared.put(
                  t.get("spec", "topicName"),
                  t.get("spec", "partitions") + " x" + t.get("spec", "replicas") + " " + configs);
              assertThat(t.getMetadata().getLabels())
                  .containsEntry("strimzi.io/cluster", "spineflow");
            });
    assertThat(declared).isEqualTo(expected);
  }

  @Test
  void noWorkloadNeedsASharedDiskWithTheObjectStore() {
    assertThat(configMap("spineflow-blobstore"))
        .containsEntry(BlobStoreSettings.TYPE.envVar(), "s3");
    for (Map.Entry<String, PodSpec> spec : podSpecs()) {
      // Models travel through the bucket and the quality floor in the models announcement: a
      // claim (a volume shared by pods, or one pinned to a node) would be a shared disk again.
      assertThat(spec.getValue().getVolumes())
          .as("%s mounts no PersistentVolumeClaim", spec.getKey())
          .allMatch(v -> v.getPersistentVolumeClaim() == null);
    }
    for (String service : List.of("trainer", "inference")) {
      PodSpec pod =
          podSpec(named(service.equals("inference") ? "StatefulSet" : "Deployment", service));
      Container container = pod.getContainers().get(0);
      String store = env(container).get("SPINEFLOW_MODEL_STORE");
      assertThat(store).as("%s's model store", service).isNotNull();
      assertThat(container.getVolumeMounts())
          .as("%s keeps its model store (%s) on an emptyDir", service, store)
          .anyMatch(
              m ->
                  Path.of(store).startsWith(m.getMountPath())
                      && pod.getVolumes().stream()
                          .anyMatch(
                              v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
    }
  }

  @Test
  void kafkaIsThreeKraftNodesAndEveryServiceItsOwnScramUser() {
    GenericKubernetesResource pool = all("KafkaNodePool").findFirst().orElseThrow();
    assertThat(at(pool, "spec", "replicas")).isEqualTo(3);
    assertThat(strings(pool.get("spec", "roles")))
        .containsExactlyInAnyOrder("controller", "broker");
    GenericKubernetesResource kafka = all("Kafka").findFirst().orElseThrow();
    assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled");
    assertThat(String.valueOf(at(kafka, "spec", "kafka", "config", "min.insync.replicas")))
        .isEqualTo("2");
    Set<String> users =
        all("KafkaUser").map(u -> u.getMetadata().getName()).collect(Collectors.toSet());
    all("KafkaUser")
        .forEach(
            u -> assertThat(at(u, "spec", "authentication", "type")).isEqualTo("scram-sha-512"));
    for (ServiceModule module : ServiceModules.all()) {
      assertThat(users).contains("spineflow-" + module.name());
      PodSpec pod =
          podSpec(
              named(
                  module.name().equals("inference") ? "StatefulSet" : "Deployment", module.name()));
      assertThat(pod.getVolumes())
          .as("%s mounts its KafkaUser's Secret", module.name())
          .anyMatch(
              v ->
                  v.getSecret() != null
                      && v.getSecret().getSecretName().equals("spineflow-" + module.name()));
    }
  }

  @Test
  void theClientPropertiesTakeTheJaasLineFromTheMountedKafkaUserSecret(@TempDir Path dir)
      throws IOException {
    String properties = configMap("spineflow-kafka-client").get("client.properties");
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
    Files.writeString(dir.resolve(SaslConfigs.SASL_JAAS_CONFIG), jaas);
    Properties props = new Properties();
    props.load(
        new java.io.StringReader(properties.replace("/etc/spineflow/kafka-user", dir.toString())));
    props.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        configMap("spineflow-settings").get(CommonSettings.BOOTSTRAP_SERVERS.envVar()));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    // Kafka's own config class resolves ${dir:...} as every client (and Streams) does at start.
    ConsumerConfig config = new ConsumerConfig(props);
    assertThat(config.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value()).isEqualTo(jaas);
    assertThat(config.getString(SaslConfigs.SASL_MECHANISM)).isEqualTo("SCRAM-SHA-512");
  }

  @Test
  void kedaScalesTheInferenceStatefulSetOnItsGroupsLagOnSlices() {
    GenericKubernetesResource scaled =
        (GenericKubernetesResource) named("ScaledObject", "inference");
    assertThat(at(scaled, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
    assertThat(at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(InferenceService.NAME);
    named("StatefulSet", InferenceService.NAME);
    Map<?, ?> trigger = (Map<?, ?>) list(scaled.get("spec", "triggers")).get(0);
    Map<?, ?> metadata = (Map<?, ?>) trigger.get("metadata");
    assertThat(trigger.get("type")).isEqualTo("kafka");
    assertThat(metadata.get("topic")).isEqualTo(Topics.defaults().slices().name());
    assertThat(metadata.get("consumerGroup")).isEqualTo(InferenceService.GROUP_ID);
    assertThat(metadata.get("bootstrapServers"))
        .isEqualTo(configMap("spineflow-settings").get(CommonSettings.BOOTSTRAP_SERVERS.envVar()));
    int partitions =
        Integer.parseInt(
            configMap("spineflow-settings").get(CommonSettings.TOPIC_PARTITIONS.envVar()));
    assertThat((int) at(scaled, "spec", "maxReplicaCount")).isLessThanOrEqualTo(partitions);
    named(
        "TriggerAuthentication",
        (String) ((Map<?, ?>) trigger.get("authenticationRef")).get("name"));
  }

  @Test
  void theGpuOverlayRequiresOneGpuAndTheCpuOverlayNone() {
    Container gpu = overlayInference("gpu");
    assertThat(gpu.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(env(gpu))
        .containsEntry(InferenceSettings.DEVICE.envVar(), "gpu")
        .containsEntry("PYTORCH_FLAVOR", "cu128");
    Container cpu = overlayInference("cpu");
    assertThat(env(cpu)).containsEntry(InferenceSettings.DEVICE.envVar(), "cpu");
    assertThat(cpu.getResources()).isNull();
  }

  private static Container overlayInference(String overlay) {
    Path dir = deploy.resolve("overlays").resolve(overlay);
    return manifests.entrySet().stream()
        .filter(e -> e.getKey().startsWith(dir))
        .flatMap(e -> e.getValue().stream())
        .filter(StatefulSet.class::isInstance)
        .map(s -> ((StatefulSet) s).getSpec().getTemplate().getSpec().getContainers().get(0))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> kustomization(Path dir) throws IOException {
    return YAML.unmarshal(Files.readString(dir.resolve("kustomization.yaml")), Map.class);
  }

  /** A value inside a custom resource, as Object: assertThat then picks no overload by guess. */
  private static Object at(GenericKubernetesResource resource, Object... path) {
    return resource.get(path);
  }

  private static List<?> list(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  private static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }
}
