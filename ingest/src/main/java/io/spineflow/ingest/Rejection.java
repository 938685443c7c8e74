package io.spineflow.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why an upload was refused: what the dead letter, the HTTP 400 body and the watched folder's
 * {@code NAME.reason.txt} say.
 *
 * @param reasonCode a codec {@link io.spineflow.imaging.metaimage.ReasonCode} name or an {@link
 *     IngestReason} name
 * @param field the header field, Kafka header or HTTP parameter at fault; null when none is
 * @param limit the limit or expectation it broke; null when there is none to name
 * @param message one line for a person; may quote the input, so it is never logged
 * @param part which part was at fault, or null when the study as a whole is
 */
public record Rejection(
    String reasonCode, String field, String limit, String message, UploadPart part) {
  public Rejection {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(message, "message");
  }

  public static Rejection of(IngestReason reason, String field, String limit, String message) {
    return new Rejection(reason.name(), field, limit, message, null);
  }

  /** The same rejection, attributed to {@code part}. */
  public Rejection forPart(UploadPart which) {
    return new Rejection(reasonCode, field, limit, message, which);
  }

  /** The JSON body of an HTTP 400: reasonCode, field, limit, message (nulls kept). */
  public Map<String, Object> toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reasonCode", reasonCode);
    body.put("field", field);
    body.put("limit", limit);
    body.put("message", message);
    if (part != null) {
      body.put("part", part.wireName());
    }
    return body;
  }

  /** The {@code NAME.reason.txt} of the watched folder. */
  public String toText() {
    return "reasonCode: "
        + reasonCode
        + "\nfield: "
        + (field == null ? "" : field)
        + "\nlimit: "
        + (limit == null ? "" : limit)
        + "\npart: "
        + (part == null ? "" : part.wireName())
        + "\nmessage: "
        + message
        + "\n";
  }
}
