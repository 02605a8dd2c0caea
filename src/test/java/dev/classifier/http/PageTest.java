package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TinyModelServer;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The try-it page is served at {@code /} with its strict Content-Security-Policy, and is written so
 * that the policy costs it nothing: no inline script, style or event handler, nothing from another
 * origin.
 */
class PageTest extends TinyModelServer {

  @Test
  void thePageAndItsAssetsComeWithTheStrictPolicy() {
    HttpTestClient http = new HttpTestClient(port);
    for (String path : new String[] {"/", "/assets/app.js", "/assets/app.css"}) {
      HttpResponse<String> response = http.get(path);

      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .contains(
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
                  + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors"
                  + " 'none'");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    assertThat(http.get("/").headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/html");
    assertThat(http.get("/assets/app.js").headers().firstValue("Content-Type").orElseThrow())
        .contains("javascript");
  }

  @Test
  void thePageHasNothingInlineAndNothingFromElsewhere() {
    String html = new HttpTestClient(port).get("/").body();

    assertThat(html).contains("<script src=\"/assets/app.js\" defer></script>");
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find())
        .as("inline script")
        .isFalse();
    assertThat(Pattern.compile("\\sstyle=|<style").matcher(html).find())
        .as("inline style")
        .isFalse();
    assertThat(Pattern.compile("\\son[a-z]+=").matcher(html).find()).as("inline handler").isFalse();
    assertThat(html).doesNotContain("http://", "https://", "//cdn");
  }
}
