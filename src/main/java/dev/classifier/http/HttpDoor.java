package dev.classifier.http;

import java.util.List;

/**
 * What the transport needs from a front door that answers HTTP under one path prefix: which of its
 * requests are uploads (read whole, without a thread, before the door runs), which run inference,
 * how its errors look, and what to send through it before readiness.
 */
public interface HttpDoor {

  /** The paths the door answers, such as {@code /v1/}; they are observed and logged. */
  String pathPrefix();

  /**
   * The door's protocol as the classification metrics tag it ({@code protocol}): {@code v1}, {@code
   * v2-rest}.
   */
  String protocol();

  /** Whether this door words the errors of paths no door claims (Tomcat's own, the page's). */
  default boolean wordsUnclaimedErrors() {
    return false;
  }

  /** Whether a request is an upload the door's handler takes. */
  boolean isUpload(String method, String path, String contentType);

  /** Whether a request runs inference: counted as a classification by the metrics. */
  boolean isClassification(String method, String path);

  /**
   * A transport refusal as this door's error body.
   *
   * @param instance the request path, or null when it cannot be one
   */
  ErrorBody errorBody(Refusal refusal, String requestId, String instance);

  /** Requests the warm-up sends through the real server before readiness, once per round. */
  default List<WarmUpRequest> warmUp() {
    return List.of();
  }

  /** An error body and its content type. */
  record ErrorBody(String contentType, byte[] bytes) {}

  /**
   * @param path from the application's root, with its query
   * @param contentType null without a body
   * @param body null for none
   */
  record WarmUpRequest(String method, String path, String contentType, byte[] body) {}
}
