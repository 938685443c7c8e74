package io.spineflow.imaging.metaimage;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Key = Value} fields of a MetaImage header as text, in file order, and the byte offset
 * where the header ends (just after the {@code ElementDataFile} line), which is where inline data
 * starts. Its typed accessors report errors naming the key.
 */
record RawHeader(Map<String, String> fields, long dataOffset) {

  RawHeader {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The value of {@code key}, or null when the header does not have it. */
  String get(String key) {
    return fields.get(key);
  }

  /** One of several synonymous keys; if more than one is present they must agree. */
  double[] synonymArray(List<String> keys, int count, String why) throws MetaImageException {
    double[] result = null;
    String first = null;
    for (String key : keys) {
      double[] values = optionalArray(key, count, why);
      if (values == null) {
        continue;
      }
      if (result != null && !Arrays.equals(result, values)) {
        throw conflict(first, key);
      }
      result = values;
      first = key;
    }
    return result;
  }

  /** {@code count} finite numbers, or null when {@code key} is absent. */
  double[] optionalArray(String key, int count, String why) throws MetaImageException {
    String value = get(key);
    return value == null ? null : FieldValues.finiteArray(key, value, count, why);
  }

  /** {@code count} positive finite numbers, or null when {@code key} is absent. */
  double[] optionalPositiveArray(String key, int count, String why) throws MetaImageException {
    double[] values = optionalArray(key, count, why);
    if (values != null) {
      for (int i = 0; i < values.length; i++) {
        if (!(values[i] > 0)) {
          throw FieldValues.invalid(
              key, key + "[" + i + "]: a positive number expected, got " + get(key).strip());
        }
      }
    }
    return values;
  }

  /** One finite number, or null when {@code key} is absent. */
  Double optionalNumber(String key) throws MetaImageException {
    String value = get(key);
    if (value == null) {
      return null;
    }
    return FieldValues.finite(key, FieldValues.tokens(key, value, 1, "(a single number)")[0], key);
  }

  /** The value of {@code key}; MISSING_FIELD when absent. */
  String required(String key) throws MetaImageException {
    String value = get(key);
    if (value == null) {
      throw new MetaImageException(
          ReasonCode.MISSING_FIELD, key, key + ": required field missing from the header");
    }
    return value;
  }

  /** The value of {@code key}, or {@code fallback} when absent. */
  String optional(String key, String fallback) {
    String value = get(key);
    return value == null ? fallback : value;
  }

  /** CONFLICTING_FIELDS: synonym {@code second} disagrees with {@code first}. */
  MetaImageException conflict(String first, String second) {
    return new MetaImageException(
        ReasonCode.CONFLICTING_FIELDS,
        second,
        second
            + ": '"
            + HeaderScanner.abbreviate(get(second))
            + "' contradicts its synonym "
            + first
            + " = '"
            + HeaderScanner.abbreviate(get(first))
            + "'");
  }
}
