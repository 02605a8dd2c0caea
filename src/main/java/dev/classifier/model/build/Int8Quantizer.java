package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.classifier.model.ModelMetadata;
import dev.classifier.model.build.QuantizationMath.ActivationParams;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Float ONNX model and calibration images in, its QDQ INT8 form out: plans which tensors to
 * quantize ({@link QdqPlan}), records their distributions over the images ({@link Calibrator}),
 * takes each range at a percentile, and rewrites the graph ({@link QdqRewriter}).
 *
 * <p>The range of a tensor is its (100 − p)th to p-th percentile over all calibration values, p =
 * {@value #DEFAULT_PERCENTILE} by default: the plain min/max lets a handful of outliers (a few
 * pixels of one image) stretch the uint8 step for every value, while a lower percentile clips
 * values that matter. On the synthetic Xception, calibrated on 32 generated textures and compared
 * with FP32 on 48 others, 99.999 gave a mean KL of 0.0064 against 0.0107 for 99.99 and 0.0084 for
 * min/max.
 */
final class Int8Quantizer {

  static final double DEFAULT_PERCENTILE = 99.999;
  static final String QUANTIZER_VERSION = "qdq-int8/1";

  /**
   * @param roles how many nodes were quantized in each way
   * @param tensors how many activation tensors got their own calibrated range
   */
  record Result(ModelProto model, int images, Map<QdqPlan.Role, Integer> roles, int tensors) {}

  private final OrtRuntime runtime;
  private final Consumer<String> progress;

  Int8Quantizer(OrtRuntime runtime, Consumer<String> progress) {
    this.runtime = runtime;
    this.progress = progress;
  }

  Result quantize(ModelProto floatModel, CalibrationImages images, double percentile) {
    QdqPlan plan = QdqPlan.of(floatModel);
    if (!plan.counts().containsKey(QdqPlan.Role.CONV)
        && !plan.counts().containsKey(QdqPlan.Role.GEMM)) {
      throw new IllegalArgumentException(
          "nothing to quantize: the model has no Conv or Gemm with constant float weights");
    }
    List<String> tensors = plan.calibrated();
    progress.accept(
        "Calibrating "
            + tensors.size()
            + " activation tensors on "
            + images.source()
            + " images ("
            + runtime.describe()
            + ") ...");
    Calibrator.Calibration calibration =
        Calibrator.record(floatModel, tensors, images, runtime, progress);
    Map<String, ActivationParams> params = new LinkedHashMap<>();
    calibration
        .histograms()
        .forEach(
            (tensor, histogram) -> {
              ActivationHistogram.Range r = histogram.range(percentile);
              params.put(tensor, QuantizationMath.activation(r.min(), r.max()));
            });
    progress.accept(
        "Rewriting as QDQ: "
            + plan.counts().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "))
            + " quantized ...");
    ModelProto quantized = QdqRewriter.rewrite(floatModel, plan, params);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(ModelMetadata.PRECISION, ModelMetadata.INT8);
    metadata.put(ModelMetadata.CALIBRATION_SOURCE, images.source());
    metadata.put(ModelMetadata.CALIBRATION_IMAGES, Integer.toString(calibration.images()));
    metadata.put(ModelMetadata.RANGE_METHOD, rangeMethod(percentile));
    metadata.put(ModelMetadata.QUANTIZER_VERSION, QUANTIZER_VERSION);
    return new Result(
        withMetadata(quantized, metadata), calibration.images(), plan.counts(), tensors.size());
  }

  static String rangeMethod(double percentile) {
    return "percentile:" + plain(percentile);
  }

  /** 99.999 as "99.999", 100 as "100". */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** {@code model} with {@code entries} set in its metadata_props, replacing same-named ones. */
  static ModelProto withMetadata(ModelProto model, Map<String, String> entries) {
    ModelProto.Builder b = model.toBuilder().clearMetadataProps();
    for (StringStringEntryProto e : model.getMetadataPropsList()) {
      if (!entries.containsKey(e.getKey())) {
        b.addMetadataProps(e);
      }
    }
    entries.forEach(
        (k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return b.build();
  }
}
