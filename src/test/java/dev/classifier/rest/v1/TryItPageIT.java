package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.PackagedService;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The try-it page in a real browser against the packaged jar: Debian's Chromium, headless, driven
 * by Selenium through Debian's chromedriver. The service serves the explainable tiny CNN (its
 * heatmaps follow the red channel), so the test starts in seconds and still shows a meaningful map.
 * Uploads through the file input exactly as a person would, and checks the page against the API's
 * own JSON for the same bytes.
 *
 * <p>Skipped without /usr/bin/chromium and /usr/bin/chromedriver unless CI=true. Screenshots go to
 * target/try-it-page*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TryItPageIT {

  /**
   * A model file to serve instead of the tiny CNN, e.g. {@code -Dtry-it.model=models/xception.onnx}
   * to retake the README's screenshot (docs/try-it-page.png) with the real-size network.
   */
  private static final String MODEL_PROPERTY = "try-it.model";

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path work;
  private PackagedService service;
  private int port;
  private WebDriver driver;
  private Path photo;

  @BeforeAll
  void startServiceAndBrowser() throws Exception {
    requireChromium();
    work = Files.createTempDirectory("try-it-page-it");
    String given = System.getProperty(MODEL_PROPERTY);
    Path model =
        given != null
            ? Path.of(given).toAbsolutePath()
            : TinyModels.writeCnn(
                work.resolve("cnn.onnx"), TinyModels.Layout.NHWC, 32, 1000, true, "synthetic:7");
    service =
        PackagedService.start(
            work,
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            List.of(
                "--classifier.model.path=" + model,
                "--classifier.inference.threading=fixed",
                "--classifier.inference.intra-op-threads=1"));
    port = service.port();
    photo = Files.write(work.resolve("red-disc.jpg"), photoLikeJpeg());

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1000,1000",
        "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
    ChromeDriverService driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(new java.io.FileOutputStream(work.resolve("chromedriver.log").toFile()))
            .build();
    driver = new ChromeDriver(driverService, options);
  }

  @AfterAll
  void stopEverything() throws InterruptedException {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void uploadShowsTheApisTop5AndTheHeatmapAndAProblemForAText() throws Exception {
    driver.get("http://127.0.0.1:" + port + "/");
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.until(ExpectedConditions.attributeToBe(By.id("banner"), "data-explanations", "true"));
    assertThat(driver.findElement(By.id("banner")).getText())
        .contains(modelInfo().get("weights").asString(), "labels are meaningless");

    driver.findElement(By.id("file")).sendKeys(photo.toString());
    WebElement card =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("li.result[data-state='done']")));

    JsonNode api = apiResult(Files.readAllBytes(photo));
    List<WebElement> bars = card.findElements(By.cssSelector(".bar"));
    assertThat(bars).hasSize(5);
    for (int i = 0; i < 5; i++) {
      JsonNode expected = api.at("/predictions/" + i);
      WebElement bar = bars.get(i);
      assertThat(bar.getAttribute("data-index")).isEqualTo(expected.get("index").asString());
      assertThat(Double.parseDouble(bar.getAttribute("data-score")))
          .isEqualTo(expected.get("score").asDouble());
      assertThat(bar.findElement(By.cssSelector(".label")).getText())
          .isEqualTo(expected.get("label").asString());
      assertThat(bar.findElement(By.cssSelector(".score")).getText())
          .isEqualTo(String.format(Locale.ROOT, "%.2f%%", expected.get("score").asDouble() * 100));
    }
    assertThat(card.findElement(By.cssSelector(".ms-explain")).getText()).endsWith(" ms");

    WebElement canvas = card.findElement(By.cssSelector("canvas.view"));
    assertThat(canvas.getAttribute("data-heatmap"))
        .isEqualTo(bars.get(0).getAttribute("data-index"));
    // The canvas keeps the photo's 3:2 aspect ratio.
    assertThat(canvas.getAttribute("width")).isEqualTo("480");
    assertThat(canvas.getAttribute("height")).isEqualTo("320");
    String withHeatmap = pixels(canvas);
    screenshot("try-it-page.png");

    driver.findElement(By.id("heatmap")).click();
    assertThat(canvas.getAttribute("data-heatmap")).isEqualTo("off");
    String withoutHeatmap = pixels(canvas);
    assertThat(withoutHeatmap).as("the canvas without the heatmap").isNotEqualTo(withHeatmap);
    driver.findElement(By.id("heatmap")).click();
    assertThat(pixels(canvas)).isEqualTo(withHeatmap);

    // From the keyboard: the arrow key moves to the second class, whose heatmap is then shown.
    bars.get(0).sendKeys(Keys.ARROW_DOWN);
    assertThat(canvas.getAttribute("data-heatmap"))
        .isEqualTo(bars.get(1).getAttribute("data-index"));
    assertThat(driver.switchTo().activeElement()).isEqualTo(bars.get(1));

    Path text = Files.writeString(work.resolve("notes.txt"), "just some text, not an image");
    driver.findElement(By.id("file")).sendKeys(text.toString());
    WebElement problem =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("li.result[data-state='problem'] .problem")));
    assertThat(problem.findElement(By.cssSelector(".title")).getText())
        .isEqualTo("Unsupported media type (415)");
    assertThat(problem.findElement(By.cssSelector(".type")).getText())
        .startsWith("urn:problem-type:classifier:unsupported-media-type");
    assertThat(problem.findElement(By.cssSelector(".detail")).getText()).isNotBlank();
    assertThat(driver.findElements(By.cssSelector("li.result"))).hasSize(2);
    screenshot("try-it-page-problem.png");

    // Down to a phone's width nothing scrolls sideways.
    driver.manage().window().setSize(new Dimension(390, 844));
    Object overflow =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue())
        .as("horizontal overflow at 390 px")
        .isLessThanOrEqualTo(0);
    screenshot("try-it-page-phone.png");
  }

  /** The canvas's pixels as the page drew them. */
  private String pixels(WebElement canvas) {
    return (String)
        ((JavascriptExecutor) driver).executeScript("return arguments[0].toDataURL();", canvas);
  }

  private void screenshot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("target", name), png);
    assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
  }

  private JsonNode modelInfo() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/models/xception"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return HttpTestClient.json(response);
  }

  private JsonNode apiResult(byte[] jpeg) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/classify?topK=5&explain=true"))
                    .header(
                        "Content-Type", "multipart/form-data; boundary=" + HttpTestClient.BOUNDARY)
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            HttpTestClient.multipart(
                                List.of(new HttpTestClient.Part("image", "image/jpeg", jpeg)))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return HttpTestClient.json(response).at("/results/0");
  }

  /**
   * A 480 × 320 picture: a red disc on the left of a warm gradient. Its mean red is above half, so
   * the top classes of the tiny CNN weigh red positively and the disc is where their maps are high.
   */
  private static byte[] photoLikeJpeg() throws IOException {
    BufferedImage image = new BufferedImage(480, 320, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(
        new GradientPaint(0, 0, new Color(200, 160, 90), 480, 320, new Color(170, 110, 160)));
    g.fillRect(0, 0, 480, 320);
    g.setColor(new Color(245, 40, 40));
    g.fillOval(60, 80, 160, 160);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  private static void requireChromium() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && "true".equals(System.getenv("CI"))) {
      fail(
          "chromium and chromium-driver are required in CI (apt-get install chromium chromium-driver)");
    }
    assumeTrue(installed, "no /usr/bin/chromium and /usr/bin/chromedriver; browser test skipped");
  }
}
