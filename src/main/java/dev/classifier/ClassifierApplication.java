package dev.classifier;

import dev.classifier.model.build.BuildModelCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the image-classification service, and of its one-shot commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClassifierApplication {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("build-model")) {
      // A one-shot tool: no Spring context, no web server. Set before the first logger exists.
      System.setProperty("logback.configurationFile", "dev/classifier/command-logback.xml");
      System.exit(
          new BuildModelCommand(System.out, System.err)
              .run(Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(ClassifierApplication.class, args);
  }
}
