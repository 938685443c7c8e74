package io.spineflow.platform;

import io.spineflow.platform.blob.BlobStoreSettings;
import java.util.List;
import java.util.stream.Stream;

/** The settings every service shares (first rows of the README's configuration table). */
public final class CommonSettings {
  private CommonSettings() {}

  public static final Setting BOOTSTRAP_SERVERS =
      new Setting(
          "bootstrap.servers",
          "SPINEFLOW_BOOTSTRAP_SERVERS",
          "127.0.0.1:9092",
          "Kafka brokers to connect to.");
  public static final Setting KAFKA_PROPERTIES =
      new Setting(
          "kafka.properties",
          "SPINEFLOW_KAFKA_PROPERTIES",
          "",
          "A .properties file of extra Kafka client settings (SASL/TLS: security.protocol,"
              + " sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ...), passed to every"
              + " client unchanged.");
  public static final Setting TOPIC_PREFIX =
      new Setting("topic.prefix", "SPINEFLOW_TOPIC_PREFIX", "", "Prefix of every topic name.");
  public static final Setting TOPIC_PARTITIONS =
      new Setting(
          "topic.partitions",
          "SPINEFLOW_TOPIC_PARTITIONS",
          "3",
          "Partitions of the data topics when a service creates them: at most this many"
              + " instances of a service share a topic, so choose it before the first start (e.g."
              + " 12 to scale inference out). Existing topics are checked at every start: slices,"
              + " masks and quality with unequal counts stop the service, another count is a"
              + " warning.");
  public static final Setting TOPIC_REPLICATION =
      new Setting(
          "topic.replication.factor",
          "SPINEFLOW_TOPIC_REPLICATION_FACTOR",
          "-1",
          "Replication factor of created topics and of the Streams changelog and repartition"
              + " topics; -1 takes the broker's default.replication.factor (set 3 on a production"
              + " cluster whose default is lower).");
  public static final Setting DATA_DIR =
      new Setting(
          "data.dir",
          "SPINEFLOW_DATA_DIR",
          "data",
          "Local state: Streams state stores, the claim-check store, the model store.");
  public static final Setting HTTP_PORT =
      new Setting(
          "http.port",
          "SPINEFLOW_HTTP_PORT",
          "",
          "Port of the service's /health and /metrics (and its own routes); each service has its"
              + " own default.");
  public static final Setting HTTP_BIND_ADDRESS =
      new Setting(
          "http.bind.address",
          "SPINEFLOW_HTTP_BIND_ADDRESS",
          "127.0.0.1",
          "Address the HTTP servers listen on. The default, loopback, is reachable from this"
              + " machine only; in a container or for other machines set the interface's address"
              + " or 0.0.0.0, and configure TLS (http.tls.*).");
  public static final Setting HTTP_OPS_PORT =
      new Setting(
          "http.ops.port",
          "SPINEFLOW_HTTP_OPS_PORT",
          "",
          "When set, /health and /metrics move to this port of their own (no token; TLS as"
              + " configured), so probes and Prometheus can reach them where the service's own"
              + " port (uploads, the dashboard) is not exposed. Unset: they share http.port.");
  public static final Setting HTTP_TLS_KEYSTORE =
      new Setting(
          "http.tls.keystore",
          "SPINEFLOW_HTTP_TLS_KEYSTORE",
          "",
          "A PKCS#12 file with the server's private key and certificate chain: every HTTP port"
              + " then serves HTTPS only (plain HTTP is refused). Or use http.tls.cert and"
              + " http.tls.key.");
  public static final Setting HTTP_TLS_KEYSTORE_PASSWORD =
      new Setting(
          "http.tls.keystore.password",
          "SPINEFLOW_HTTP_TLS_KEYSTORE_PASSWORD",
          "",
          "Password of http.tls.keystore (empty for none). Never logged.");
  public static final Setting HTTP_TLS_CERT =
      new Setting(
          "http.tls.cert",
          "SPINEFLOW_HTTP_TLS_CERT",
          "",
          "A PEM file with the server's certificate, followed by its intermediates (with"
              + " http.tls.key instead of a keystore).");
  public static final Setting HTTP_TLS_KEY =
      new Setting(
          "http.tls.key",
          "SPINEFLOW_HTTP_TLS_KEY",
          "",
          "A PEM file with the server's unencrypted PKCS#8 private key (BEGIN PRIVATE KEY; RSA or"
              + " EC), readable by the service only.");
  public static final Setting HTTP_REQUEST_TIMEOUT =
      new Setting(
          "http.request.timeout",
          "SPINEFLOW_HTTP_REQUEST_TIMEOUT",
          "120s",
          "Longest an HTTP request may take from its first byte to the response (an upload"
              + " included); a slower or stalled client is disconnected, so it cannot hold one of"
              + " the few request threads. Whole seconds; the first service in a JVM sets it for"
              + " all.");
  public static final Setting DEDUP_RETENTION =
      new Setting(
          "dedup.retention",
          "SPINEFLOW_DEDUP_RETENTION",
          "30d",
          "How long ingest and preprocess remember a study UID's accepted content to drop an"
              + " unchanged resend; a resend after this is taken as a new revision of the study.");
  public static final Setting STREAMS_TRANSACTION_TIMEOUT =
      new Setting(
          "streams.transaction.timeout",
          "SPINEFLOW_STREAMS_TRANSACTION_TIMEOUT",
          "60s",
          "transaction.timeout.ms of the Kafka Streams producers (ingest, preprocess, dashboard):"
              + " one upload may decode 256 MiB inside a transaction, longer than Streams' 10 s;"
              + " at most the broker's transaction.max.timeout.ms (15 min by default).");
  public static final Setting STREAMS_ROCKSDB_MEMORY_MB =
      new Setting(
          "streams.rocksdb.memory.mb",
          "SPINEFLOW_STREAMS_ROCKSDB_MEMORY_MB",
          "32",
          "Native memory (MiB) all of a service's RocksDB state stores share: block cache and"
              + " memtables together (ingest, preprocess, dashboard); 0 leaves RocksDB's per-store"
              + " defaults (about 100 MiB a store and partition at most).");
  public static final Setting STARTUP_TIMEOUT =
      new Setting(
          "startup.timeout",
          "SPINEFLOW_STARTUP_TIMEOUT",
          "15s",
          "How long a service waits for Kafka at start-up before it gives up.");

  /** These settings, then the blob store's (claim checks today, models later: shared by all). */
  public static List<Setting> all() {
    return Stream.concat(
            Stream.of(
                BOOTSTRAP_SERVERS,
                KAFKA_PROPERTIES,
                TOPIC_PREFIX,
                TOPIC_PARTITIONS,
                TOPIC_REPLICATION,
                DATA_DIR,
                HTTP_PORT,
                HTTP_BIND_ADDRESS,
                HTTP_OPS_PORT,
                HTTP_TLS_KEYSTORE,
                HTTP_TLS_KEYSTORE_PASSWORD,
                HTTP_TLS_CERT,
                HTTP_TLS_KEY,
                HTTP_REQUEST_TIMEOUT,
                DEDUP_RETENTION,
                STREAMS_TRANSACTION_TIMEOUT,
                STREAMS_ROCKSDB_MEMORY_MB,
                STARTUP_TIMEOUT),
            BlobStoreSettings.all().stream())
        .toList();
  }
}
