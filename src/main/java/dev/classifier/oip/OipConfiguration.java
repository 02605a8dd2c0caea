package dev.classifier.oip;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.inference.InferenceEngine;
import dev.classifier.inference.ModelSignature;
import dev.classifier.model.ClassLabel;
import dev.classifier.model.LabelSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Open Inference Protocol's shared parts for both its doors (V2 REST and gRPC): the V2 models
 * over the loaded model, the limits derived from {@code classifier.max-upload-size}, and what
 * server metadata reports.
 */
@Configuration(proxyBeanMethods = false)
class OipConfiguration {

  @Bean
  V2Models v2Models(InferenceEngine engine, LabelSet labels, ClassifierProperties properties) {
    ModelSignature signature = engine.model().signature();
    return V2Models.of(
        engine.model().name(),
        signature.inputName(),
        signature.inputShape(),
        signature.layout().name(),
        signature.outputName(),
        labels.all().stream().map(ClassLabel::name).toList(),
        // Triton names the label file in the model configuration; a model carrying its labels has
        // none
        properties.model().labels() == null
            ? ""
            : properties.model().labels().getFileName().toString(),
        properties.maxImagesPerRequest());
  }

  @Bean
  OipLimits oipLimits(ClassifierProperties properties) {
    return OipLimits.forMaxBytes(properties.maxUploadSize().toBytes());
  }

  @Bean
  ServerInfo oipServerInfo(ObjectProvider<BuildProperties> build) {
    BuildProperties properties = build.getIfAvailable();
    return ServerInfo.of(properties != null ? properties.getVersion() : "unknown");
  }
}
