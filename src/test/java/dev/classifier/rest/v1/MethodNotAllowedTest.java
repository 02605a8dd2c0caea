package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.RawHttp;
import dev.classifier.testing.TinyModelServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every method a path does not take, TRACE included, is answered 405 problem+json whose {@code
 * Allow} names only the methods that path takes; a TRACE is never echoed back.
 */
class MethodNotAllowedTest extends TinyModelServer {

  @ParameterizedTest
  @CsvSource({
    "TRACE, /v1/classify, POST",
    "PUT, /v1/classify, POST",
    "DELETE, /v1/classify, POST",
    "PATCH, /v1/explain, POST",
    "TRACE, /v1/explain, POST",
    "TRACE, /v1/models, GET",
    "DELETE, /v1/models/tiny, GET",
  })
  void aMethodThePathDoesNotTakeIs405WithItsOwnAllow(String method, String path, String allow) {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response response =
          client
              .send(
                  method
                      + " "
                      + path
                      + " HTTP/1.1\r\nHost: localhost\r\nX-Secret: echo-me\r\n"
                      + "Connection: close\r\n\r\n")
              .read();

      assertThat(response.status()).as(response.head()).isEqualTo(405);
      assertThat(response.header("Allow")).isEqualTo(allow);
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.body()).doesNotContain("echo-me");
      JsonNode problem = JsonMapper.builder().build().readTree(response.body());
      assertThat(problem.get("type").asString())
          .isEqualTo("urn:problem-type:classifier:method-not-allowed");
      assertThat(problem.get("status").asInt()).isEqualTo(405);
      assertThat(problem.get("title").asString()).isEqualTo("Method not allowed");
      assertThat(problem.get("instance").asString()).isEqualTo(path);
    }
  }
}
