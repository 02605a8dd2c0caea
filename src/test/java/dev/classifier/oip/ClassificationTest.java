package dev.classifier.oip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {

  private static List<String> strings(OutputTensor output) {
    return ((TensorData.Bytes) output.data())
        .elements().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void topKIsScoreIndexLabelBestFirstPerBatchEntry() {
    float[] scores = {0.1f, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f};
    OutputTensor output =
        Classification.topK("predictions", scores, 2, 3, 2, List.of("cat", "dog", ""));

    assertThat(output.datatype()).isEqualTo(Datatype.BYTES);
    assertThat(output.shape()).containsExactly(2, 2);
    // Equal scores keep index order; class 2 has no label, so none is appended.
    assertThat(strings(output))
        .containsExactly("0.700000:1:dog", "0.200000:2", "0.500000:0:cat", "0.250000:1:dog");
  }

  @Test
  void countAboveTheClassesIsClampedToThem() {
    OutputTensor output =
        Classification.topK("p", new float[] {0.5f, 0.5f}, 1, 2, 10, List.of("a", "b"));

    assertThat(output.shape()).containsExactly(1, 2);
    assertThat(strings(output)).containsExactly("0.500000:0:a", "0.500000:1:b");
  }

  @Test
  void scoresPrintAsCPrintfSixDecimalsOfTheFloatsExactValue() {
    // 0.1f is 0.100000001490116..., 1e-7f rounds to zero, 2.5e-7 is exactly below the half.
    assertThat(Classification.score(0.1f)).isEqualTo("0.100000");
    assertThat(Classification.score(1e-7f)).isEqualTo("0.000000");
    assertThat(Classification.score(0.9999996f)).isEqualTo("1.000000");
    assertThat(Classification.score(123.456789f)).isEqualTo("123.456787");
    assertThat(Classification.score(-0.0f)).isEqualTo("-0.000000");
    assertThat(Classification.score(Float.NaN)).isEqualTo("nan");
    assertThat(Classification.score(Float.NEGATIVE_INFINITY)).isEqualTo("-inf");
  }

  @Test
  void nanRanksLast() {
    OutputTensor output =
        Classification.topK("p", new float[] {Float.NaN, 0.1f, 0.2f}, 1, 3, 3, List.of());

    assertThat(strings(output)).containsExactly("0.200000:2", "0.100000:1", "nan:0");
  }

  @Test
  void answerGivesProbabilitiesOrClassificationAsAsked() {
    InferRequest request =
        new InferRequest(
            "xception",
            "",
            "r1",
            true,
            List.of(),
            List.of(new RequestedOutput("predictions", false, 1)));
    InferResponse response =
        V2Outputs.answer(TestV2Models.TENSOR, request, new float[] {0.2f, 0.3f, 0.5f}, 1);

    assertThat(response.model()).isEqualTo("xception");
    assertThat(response.version()).isEqualTo("1");
    assertThat(response.id()).isEqualTo("r1");
    assertThat(strings(response.outputs().get(0))).containsExactly("0.500000:2");
    // the output's own binary_data=false overrides the request's binary_data_output=true
    assertThat(response.binaryOutputs()).containsExactly(false);

    InferResponse all =
        V2Outputs.answer(
            TestV2Models.TENSOR,
            new InferRequest("xception", "", "", true, List.of(), List.of()),
            new float[] {0.2f, 0.3f, 0.5f},
            1);
    assertThat(all.outputs().get(0).shape()).containsExactly(1, 3);
    assertThat(((TensorData.Fp32) all.outputs().get(0).data()).values())
        .containsExactly(0.2f, 0.3f, 0.5f);
    assertThat(all.binaryOutputs()).containsExactly(true);
  }
}
