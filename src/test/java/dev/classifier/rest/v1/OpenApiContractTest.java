package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TinyModelServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code api/openapi.yaml} is what integrators generate clients from, and what the
 * test client is generated from: it must be exactly the document the running service publishes.
 */
class OpenApiContractTest extends TinyModelServer {

  static final Path COMMITTED = Path.of("api/openapi.yaml");
  private static final String REGENERATE =
      "mvn -B test -Dtest=OpenApiContractTest -Dopenapi.update=true";

  @Test
  void theCommittedSpecIsTheLiveOne() throws IOException {
    HttpResponse<String> live = new HttpTestClient(port).get("/v3/api-docs.yaml");
    assertThat(live.statusCode()).isEqualTo(200);
    String spec = live.body().replace("\r\n", "\n");
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(COMMITTED, spec);
    }
    String committed =
        Files.exists(COMMITTED) ? Files.readString(COMMITTED).replace("\r\n", "\n") : "";
    if (!committed.equals(spec)) {
      fail(
          "api/openapi.yaml differs from the spec the service publishes at /v3/api-docs.yaml; "
              + firstDifference(committed, spec)
              + ". If the API change is intended, regenerate the file with `"
              + REGENERATE
              + "`, review the diff and"
              + " commit it (the generated test client is built from it).");
    }
  }

  @Test
  void classifyDocumentsTheResultCachesHttpSide() {
    tools.jackson.databind.JsonNode responses =
        HttpTestClient.json(new HttpTestClient(port).get("/v3/api-docs"))
            .at("/paths/~1v1~1classify/post/responses");

    assertThat(responses.get("304").get("description").asString()).startsWith("Not Modified");
    for (String status : List.of("200", "304")) {
      assertThat(responses.get(status).get("headers").propertyNames())
          .as(status)
          .containsExactlyInAnyOrder("ETag", "Cache-Control", "X-Request-Id");
    }
  }

  @Test
  void swaggerUiIsServed() {
    HttpResponse<String> ui = new HttpTestClient(port).get("/swagger-ui/index.html");
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(ui.body()).contains("Swagger UI");
  }

  private static String firstDifference(String committed, String live) {
    List<String> a = committed.lines().toList();
    List<String> b = live.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String left = i < a.size() ? a.get(i) : "<end of file>";
      String right = i < b.size() ? b.get(i) : "<end of file>";
      if (!left.equals(right)) {
        return "first difference at line "
            + (i + 1)
            + ": committed «"
            + left
            + "», live «"
            + right
            + "»";
      }
    }
    return "they differ only in line endings";
  }
}
