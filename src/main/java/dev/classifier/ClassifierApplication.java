package dev.classifier;

import dev.classifier.model.build.BuildModelCommand;
import dev.classifier.model.compare.CompareModelsCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the image-classification service, and of its one-shot commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClassifierApplication {

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("build-model") || args[0].equals("compare-models"))) {
      // A one-shot tool: no Spring context, no web server. Set before the first logger exists.
      System.setProperty("logback.configurationFile", "dev/classifier/command-logback.xml");
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      System.exit(
          args[0].equals("build-model")
              ? new BuildModelCommand(System.out, System.err).run(rest)
              : new CompareModelsCommand(System.out, System.err).run(rest));
    }
    SpringApplication.run(ClassifierApplication.class, args);
  }
}
