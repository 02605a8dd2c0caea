package dev.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.PrometheusScrape;
import dev.classifier.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hostile credentials and a broken key file against the running service: each is a 4xx or a logged
 * refusal, never a 5xx, and the service goes on serving good keys.
 */
class HostileCredentialsTest extends SecuredServer {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private int models(String header, String value) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .header(header, value)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private RawHttp.Response raw(String headerLine) {
    try (RawHttp raw = new RawHttp(port)) {
      return raw.send("GET /v1/models HTTP/1.1\r\nHost: localhost\r\n" + headerLine + "\r\n\r\n")
          .read();
    }
  }

  @Test
  void a64KilobyteAuthorizationHeaderIs400() {
    RawHttp.Response response = raw("Authorization: Bearer " + "A".repeat(64 * 1024));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("urn:problem-type:classifier:malformed-request");
  }

  @Test
  void a64KilobyteApiKeyHeaderIs400() {
    assertThat(raw("X-API-Key: " + "A".repeat(64 * 1024)).status()).isEqualTo(400);
  }

  @Test
  void aJwtWithAHugeHeaderIsRefusedAndAGoodOneStillServed() throws Exception {
    // Past Tomcat's 8 KB request-header limit: refused before the application.
    assertThat(raw("Authorization: Bearer " + IDP.hugeHeader(32_000)).status()).isEqualTo(400);
    // Within it, a 6 KB JOSE header on a good token verifies.
    assertThat(models("Authorization", "Bearer " + IDP.hugeHeader(4_000))).isEqualTo(200);
    // A token-shaped credential with junk segments.
    assertThat(models("Authorization", "Bearer " + "e".repeat(3000) + ".x.y")).isEqualTo(401);
  }

  @Test
  void manyBadCredentialsInARowAreAll401() throws Exception {
    for (int i = 0; i < 200; i++) {
      assertThat(models("Authorization", "Bearer guess-" + i)).isEqualTo(401);
    }
    assertThat(models("Authorization", "Bearer " + KEYS.get("alice"))).isEqualTo(200);
  }

  @Test
  void aKeyFileThatBecomesADirectoryKeepsTheKeysAndIsCounted() throws Exception {
    double before = reloadFailures();
    Path aside = KEY_DIR.resolve("aside");
    Files.move(KEY_FILE, aside);
    Files.createDirectory(KEY_FILE);
    try {
      awaitReload();
      assertThat(models("Authorization", "Bearer " + KEYS.get("alice"))).isEqualTo(200);
      assertThat(models("X-API-Key", "not-a-key")).isEqualTo(401);
      assertThat(reloadFailures()).isGreaterThan(before);
    } finally {
      Files.delete(KEY_FILE);
      Files.move(aside, KEY_FILE);
    }
    awaitReload();
    assertThat(models("Authorization", "Bearer " + KEYS.get("bob"))).isEqualTo(200);
  }

  private double reloadFailures() throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new PrometheusScrape(body).value("classifier_api_keys_reload_failures_total");
  }
}
