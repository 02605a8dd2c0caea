package dev.classifier.rest.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.classifier.client.ApiClient;
import dev.classifier.client.api.ClassificationApi;
import dev.classifier.client.api.ExplanationsApi;
import dev.classifier.client.api.ModelsApi;
import dev.classifier.client.model.ClassificationResponse;
import dev.classifier.client.model.ExplanationMap;
import dev.classifier.client.model.Problem;
import dev.classifier.testing.GeneratedClients;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClientResponseException;

/**
 * Explanations as an integrator meets them: the client generated from the committed contract,
 * against the service with the explainable tiny CNN.
 */
class GeneratedClientExplainTest extends TinyModelServer {

  @TempDir Path dir;
  ApiClient client;

  @BeforeEach
  void client() {
    client = GeneratedClients.client(port);
  }

  @Test
  void classifyWithExplainGivesEachPredictionItsMap() throws Exception {
    File image = file("red.png", TestImages.solid(30, 20, new Color(204, 0, 0), "png"));

    ClassificationResponse response =
        new ClassificationApi(client).classify(image, 2, true, "explain-client-1");

    var result = response.getResults().get(0);
    assertThat(result.getPredictions()).hasSize(2);
    ExplanationMap map = result.getPredictions().get(0).getMap();
    assertThat(map.getWidth()).isEqualTo(SIZE);
    assertThat(map.getHeight()).isEqualTo(SIZE);
    assertThat(map.getValues()).hasSize(SIZE * SIZE);
    assertThat(map.getMax()).isGreaterThanOrEqualTo(map.getMin());
    assertThat(result.getTimings().getExplainMs()).isNotNull();
    assertThat(new ModelsApi(client).getModel("xception", null).getExplanations()).isTrue();
  }

  @Test
  void explainGivesAPngOfTheImagesShape() throws Exception {
    File image = file("wide.png", TestImages.solid(50, 25, Color.ORANGE, "png"));

    File png = new ExplanationsApi(client).explain(image, 7, 0.25, null);

    BufferedImage picture = ImageIO.read(png);
    assertThat(picture.getWidth()).isEqualTo(50);
    assertThat(picture.getHeight()).isEqualTo(25);
  }

  @Test
  void anUnknownClassIsATypedProblem() throws Exception {
    File image = file("blue.png", TestImages.solid(8, 8, Color.BLUE, "png"));

    RestClientResponseException error =
        catchThrowableOfType(
            RestClientResponseException.class,
            () -> new ExplanationsApi(client).explain(image, CLASSES, null, null));

    assertThat(error.getStatusCode().value()).isEqualTo(400);
    Problem problem = GeneratedClients.problem(error);
    assertThat(problem.getType())
        .isEqualTo(Problem.TypeEnum.URN_PROBLEM_TYPE_CLASSIFIER_INVALID_CLASS);
  }

  private File file(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes).toFile();
  }
}
