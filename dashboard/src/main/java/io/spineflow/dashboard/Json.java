package io.spineflow.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The two JSON dialects of the dashboard: the <b>store</b> dialect for state-store and repartition
 * values (records; NaN written and read as a bare {@code NaN}, unknown fields ignored so a store
 * survives an added field), and the <b>page</b> dialect for the HTTP API (strict JSON; {@code <},
 * {@code >}, {@code &} and {@code '} escaped as {@code \}{@code uXXXX}, so event text can never
 * close a tag even if the JSON were embedded in HTML).
 */
public final class Json {
  private Json() {}

  static final ObjectMapper STORE =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final ObjectMapper PAGE = pageMapper();

  /** A Kafka serde writing {@code type} in the store dialect. */
  public static <T> Serde<T> serde(Class<T> type) {
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          try {
            return STORE.writeValueAsBytes(value);
          } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + type.getSimpleName(), e);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return STORE.readValue(bytes, type);
          } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** {@code value} in the page dialect. */
  public static byte[] page(Object value) {
    try {
      return PAGE.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a small JSON request body (page dialect). */
  public static <T> T readPage(byte[] body, Class<T> type) throws IOException {
    return PAGE.readValue(body, type);
  }

  /** Parses a JSON object in the page dialect (tests, tools). */
  public static java.util.Map<String, Object> readPageMap(String json) {
    try {
      return PAGE.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMapper pageMapper() {
    ObjectMapper mapper =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    mapper.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    return mapper;
  }

  /** Standard JSON escapes plus {@code < > & '} as Unicode escapes. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] escapes;

    HtmlSafeEscapes() {
      escapes = standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\''}) {
        escapes[c] = ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null; // only standard escapes are used; non-ASCII text passes through as UTF-8
    }
  }
}
