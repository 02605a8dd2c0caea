package dev.classifier.rest.v1;

import java.net.URI;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every problem document /v1 sends, RFC 9457 with the stable type, the fixed title and the
 * request id: the error handler's, and the transport's own refusals ({@link V1Door}).
 */
final class Problems {

  /**
   * With Spring's mixin, so extra properties (requestId) are top-level members as RFC 9457 wants.
   */
  private static final JsonMapper JSON =
      JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

  private Problems() {}

  static ProblemDetail detail(ProblemType type, String detail, String path, String requestId) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    if (path != null) {
      problem.setInstance(URI.create(path));
    }
    problem.setProperty("requestId", requestId);
    return problem;
  }

  static byte[] json(ProblemDetail problem) {
    return JSON.writeValueAsBytes(problem);
  }
}
