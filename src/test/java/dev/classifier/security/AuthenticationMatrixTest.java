package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of both ports against every kind of credential, with authentication on: the exact
 * status, problem type and challenge of each answer. The API doors ({@code /v1}, {@code /v2}, and
 * any path not listed as open) need a good API key or JWT; the page, its assets and the OpenAPI
 * document answer without credentials; the management port answers health, info and Prometheus to
 * anyone who can reach it (the NetworkPolicy decides who can).
 */
class AuthenticationMatrixTest extends SecuredServer {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final byte[] PNG = TestImages.solid(8, 8, Color.RED, "png");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** How a request proves (or fails to prove) who sent it. */
  enum Credential {
    NONE,
    MALFORMED,
    UNKNOWN_KEY,
    GOOD_KEY,
    GOOD_X_API_KEY,
    EXPIRED_JWT,
    WRONG_AUDIENCE_JWT,
    UNSIGNED_JWT,
    WRONGLY_SIGNED_JWT,
    UNSCOPED_JWT,
    GOOD_JWT
  }

  /**
   * @param open answers without credentials
   * @param status what it answers a caller that may call
   */
  record Endpoint(
      String name, boolean management, String method, String path, boolean open, int status) {}

  static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("classify", false, "POST", "/v1/classify", false, 200),
          new Endpoint("classify+explain", false, "POST", "/v1/classify?explain=true", false, 200),
          new Endpoint("explain", false, "POST", "/v1/explain", false, 200),
          new Endpoint("models", false, "GET", "/v1/models", false, 200),
          new Endpoint("model", false, "GET", "/v1/models/xception", false, 200),
          new Endpoint("unknown v1 path", false, "GET", "/v1/nothing", false, 404),
          new Endpoint("v2 model", false, "GET", "/v2/models/xception", false, 200),
          new Endpoint("v2 unknown model", false, "GET", "/v2/models/x", false, 404),
          new Endpoint("v2 health (open)", false, "GET", "/v2/health/ready", true, 200),
          new Endpoint("unknown path", false, "GET", "/anything", false, 404),
          new Endpoint("actuator on the API port", false, "GET", "/actuator/health", false, 404),
          new Endpoint("page", false, "GET", "/", true, 200),
          new Endpoint("page html", false, "GET", "/index.html", true, 200),
          new Endpoint("page script", false, "GET", "/assets/app.js", true, 200),
          new Endpoint("page style", false, "GET", "/assets/app.css", true, 200),
          new Endpoint("openapi json", false, "GET", "/v3/api-docs", true, 200),
          new Endpoint("openapi yaml", false, "GET", "/v3/api-docs.yaml", true, 200),
          new Endpoint("readiness", true, "GET", "/actuator/health/readiness", true, 200),
          new Endpoint("liveness", true, "GET", "/actuator/health/liveness", true, 200),
          new Endpoint("prometheus", true, "GET", "/actuator/prometheus", true, 200),
          new Endpoint("info", true, "GET", "/actuator/info", true, 200));

  /** Status, problem type slug (or "-") and the WWW-Authenticate error (or "-"). */
  record Answer(int status, String type, String error) {
    @Override
    public String toString() {
      return status + " " + type + " " + error;
    }
  }

  @Test
  void everyEndpointAnswersEveryCredentialAsSpecified() throws Exception {
    Map<String, String> actual = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    for (Credential credential : Credential.values()) {
      for (Endpoint endpoint : ENDPOINTS) {
        String cell = endpoint.name() + " x " + credential;
        actual.put(cell, send(endpoint, headers(credential)).toString());
        expected.put(cell, expected(endpoint, credential).toString());
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * What the rules say: the management port never asks; bad credentials are refused anywhere. The
   * V2 door words every error as {@code {"error": …}}, which names no problem type.
   */
  static Answer expected(Endpoint endpoint, Credential credential) {
    Answer answer = expectedProblem(endpoint, credential);
    return endpoint.path().startsWith("/v2/")
        ? new Answer(answer.status(), "-", answer.error())
        : answer;
  }

  private static Answer expectedProblem(Endpoint endpoint, Credential credential) {
    Answer ok = new Answer(endpoint.status(), endpoint.status() == 404 ? "not-found" : "-", "-");
    if (endpoint.management()) {
      return ok;
    }
    return switch (credential) {
      case NONE -> endpoint.open() ? ok : new Answer(401, "unauthorized", "-");
      case MALFORMED -> new Answer(400, "malformed-request", "invalid_request");
      case UNKNOWN_KEY, EXPIRED_JWT, WRONG_AUDIENCE_JWT, UNSIGNED_JWT, WRONGLY_SIGNED_JWT ->
          new Answer(401, "unauthorized", "invalid_token");
      case UNSCOPED_JWT ->
          endpoint.open() ? ok : new Answer(403, "forbidden", "insufficient_scope");
      case GOOD_KEY, GOOD_X_API_KEY, GOOD_JWT -> ok;
    };
  }

  static Map<String, String> headers(Credential credential) {
    return switch (credential) {
      case NONE -> Map.of();
      case MALFORMED -> Map.of("Authorization", "Basic YWxpY2U6c2VjcmV0");
      case UNKNOWN_KEY -> Map.of("Authorization", "Bearer not-a-key-" + System.nanoTime());
      case GOOD_KEY -> Map.of("Authorization", "Bearer " + KEYS.get("alice"));
      case GOOD_X_API_KEY -> Map.of("X-API-Key", KEYS.get("bob"));
      case EXPIRED_JWT -> bearer(IDP.expired());
      case WRONG_AUDIENCE_JWT -> bearer(IDP.wrongAudience());
      case UNSIGNED_JWT -> bearer(IDP.unsigned());
      case WRONGLY_SIGNED_JWT -> bearer(IDP.wronglySigned());
      case UNSCOPED_JWT -> bearer(IDP.withoutScope());
      case GOOD_JWT -> bearer(IDP.good("carol@example.org"));
    };
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  Answer send(Endpoint endpoint, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(
        endpoint.management() ? managementPort : port, endpoint.method(), endpoint.path(), headers);
  }

  Answer send(int toPort, String method, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path))
            .timeout(Duration.ofSeconds(20));
    if (method.equals("POST")) {
      request.header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(PNG));
    }
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String type = "-";
    if (response
        .headers()
        .firstValue("Content-Type")
        .orElse("")
        .startsWith("application/problem+json")) {
      JsonNode problem = JSON.readTree(response.body());
      type = problem.get("type").asString().replace("urn:problem-type:classifier:", "");
      assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
    }
    String error =
        response
            .headers()
            .firstValue("WWW-Authenticate")
            .map(AuthenticationMatrixTest::errorOf)
            .orElse("-");
    return new Answer(response.statusCode(), type, error);
  }

  /** RFC 6750's error code, or "-" for a challenge without one. */
  static String errorOf(String challenge) {
    assertThat(challenge).startsWith("Bearer realm=\"classifier\"");
    int at = challenge.indexOf("error=\"");
    return at < 0 ? "-" : challenge.substring(at + 7, challenge.indexOf('"', at + 7));
  }

  @Test
  void callerTagsAreKeyIdsOrJwtOrAnonymousAndTheWarmUpGotIn() throws Exception {
    send(port, "GET", "/v1/models", bearer(IDP.good("someone-with-a-long-subject@example.org")));
    send(port, "GET", "/v1/models", Map.of());
    String scrape =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    PrometheusScrape metrics = new PrometheusScrape(scrape);
    java.util.Set<String> callers =
        new java.util.TreeSet<>(metrics.labelValues("classifier_caller_requests_total", "caller"));
    assertThat(callers).contains("jwt", "anonymous", "warm-up");
    java.util.Set<String> allowed = new java.util.HashSet<>(KEYS.keySet());
    allowed.addAll(List.of("jwt", "anonymous", "warm-up", "dave", "rotating", "rotating-next"));
    assertThat(allowed).containsAll(callers);
    assertThat(
            metrics.value(
                "classifier_caller_requests_total", "caller", "warm-up", "outcome", "admitted"))
        .as("the HTTP warm-up's own requests, with its in-memory credential")
        .isGreaterThanOrEqualTo(7);
  }

  @Test
  void anUnscopedTokenIsToldWhichScopeIsMissing() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header("Authorization", "Bearer " + IDP.withoutScope())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer realm=\"classifier\", error=\"insufficient_scope\","
                + " error_description=\"the token lacks the scope classify\", scope=\"classify\"");
  }

  @Test
  void aRevokedKeyIsRefusedEverywhereOnceTheFileChanged() throws Exception {
    Map<String, String> withDave = new LinkedHashMap<>(KEYS);
    withDave.put("dave", "dave-" + System.nanoTime());
    writeKeys(withDave);
    try {
      awaitReload();
      Map<String, String> dave = bearer(withDave.get("dave"));
      assertThat(send(port, "GET", "/v1/models", dave).status()).isEqualTo(200);
    } finally {
      writeKeys(KEYS);
    }
    awaitReload();
    List<String> answers = new ArrayList<>();
    for (Endpoint endpoint : ENDPOINTS) {
      // A revoked key is an unknown one.
      Answer expected = expected(endpoint, Credential.UNKNOWN_KEY);
      answers.add(
          endpoint.name() + " " + send(endpoint, bearer(withDave.get("dave"))) + " / " + expected);
    }
    assertThat(answers)
        .allSatisfy(
            line -> {
              String[] halves = line.split(" / ");
              assertThat(halves[0]).endsWith(halves[1]);
            });
  }
}
