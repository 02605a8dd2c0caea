package dev.classifier;

import dev.classifier.model.build.BuildModelCommand;
import dev.classifier.model.compare.CompareModelsCommand;
import dev.classifier.security.HashApiKeyCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the image-classification service, and of its one-shot commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClassifierApplication {

  public static void main(String[] args) {
    if (args.length > 0
        && (args[0].equals("build-model")
            || args[0].equals("compare-models")
            || args[0].equals("hash-api-key"))) {
      // A one-shot tool: no Spring context, no web server. Set before the first logger exists.
      System.setProperty("logback.configurationFile", "dev/classifier/command-logback.xml");
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      System.exit(
          switch (args[0]) {
            case "build-model" -> new BuildModelCommand(System.out, System.err).run(rest);
            case "compare-models" -> new CompareModelsCommand(System.out, System.err).run(rest);
            default -> new HashApiKeyCommand(System.out, System.err).run(rest);
          });
    }
    SpringApplication.run(ClassifierApplication.class, args);
  }
}
