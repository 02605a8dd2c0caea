package dev.classifier.metrics;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.inference.Classifier;
import dev.classifier.inference.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Puts the served model into {@code /actuator/info} next to the build and git details. */
@Component
class ModelInfoContributor implements InfoContributor {

  private final Classifier classifier;
  private final String name;

  ModelInfoContributor(Classifier classifier, ClassifierProperties properties) {
    this.classifier = classifier;
    this.name = properties.model().name();
  }

  @Override
  public void contribute(Info.Builder builder) {
    ModelInfo info = classifier.info();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", name);
    model.put("file", info.file());
    model.put("sha256", info.sha256());
    model.put("weights", info.weightsSource());
    model.put("synthetic", info.synthetic());
    model.put("builderVersion", info.builderVersion());
    model.put("provider", info.provider());
    model.put("outputKind", info.outputKind().name().toLowerCase(java.util.Locale.ROOT));
    model.put("ready", classifier.ready());
    builder.withDetail("model", model);
  }
}
