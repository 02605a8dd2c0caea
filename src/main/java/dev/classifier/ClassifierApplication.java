package dev.classifier;

import dev.classifier.model.build.BuildModelCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the image-classification service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClassifierApplication {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("build-model")) {
      // a one-shot tool: no Spring context, no web server
      System.exit(new BuildModelCommand(System.out, System.err)
          .run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(ClassifierApplication.class, args);
  }
}
