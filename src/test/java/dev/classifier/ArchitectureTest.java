package dev.classifier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.classifier.core.Classification;
import dev.classifier.core.Client;
import org.junit.jupiter.api.Test;

/**
 * The package drawing, enforced: front doors (rest.v1, rest.v2, grpc) → http transport defences →
 * the protocol-neutral core → image / inference / model / explain, with config and metrics aside.
 * The Open Inference Protocol's shared part (oip: its request model, rules and the adapter onto the
 * core) sits between the two V2 doors and the core. Packages that do not exist yet (security)
 * already have their place.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.classifier");

  @Test
  void dataFlowsOneWayFromTheDoorsToTheModel() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true)
        .layer("Application")
        .definedBy("dev.classifier")
        .layer("Doors")
        .definedBy("dev.classifier.rest..", "dev.classifier.grpc..")
        .layer("Protocol")
        .definedBy("dev.classifier.oip..")
        .layer("Security")
        .definedBy("dev.classifier.security..")
        .layer("Http")
        .definedBy("dev.classifier.http..")
        .layer("Core")
        .definedBy("dev.classifier.core..")
        .layer("Config")
        .definedBy("dev.classifier.config..")
        .layer("Metrics")
        .definedBy("dev.classifier.metrics..")
        .layer("Explain")
        .definedBy("dev.classifier.explain..")
        .layer("Inference")
        .definedBy("dev.classifier.inference..")
        .layer("Image")
        .definedBy("dev.classifier.image..")
        .layer("Model")
        .definedBy("dev.classifier.model..")
        .whereLayer("Doors")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Protocol")
        .mayOnlyBeAccessedByLayers("Doors")
        .whereLayer("Security")
        .mayOnlyBeAccessedByLayers("Application", "Doors")
        .whereLayer("Http")
        .mayOnlyBeAccessedByLayers("Doors", "Security")
        .whereLayer("Core")
        .mayOnlyBeAccessedByLayers("Doors", "Protocol", "Security", "Http")
        .whereLayer("Config")
        .mayOnlyBeAccessedByLayers("Doors", "Protocol", "Security", "Http", "Core", "Metrics")
        .whereLayer("Metrics")
        .mayOnlyBeAccessedByLayers("Doors", "Security", "Http", "Core", "Config")
        .whereLayer("Explain")
        .mayOnlyBeAccessedByLayers("Doors", "Http", "Core", "Config")
        .whereLayer("Inference")
        .mayOnlyBeAccessedByLayers(
            "Doors", "Protocol", "Security", "Http", "Core", "Config", "Metrics", "Explain")
        .whereLayer("Image")
        .mayOnlyBeAccessedByLayers(
            "Doors",
            "Protocol",
            "Security",
            "Http",
            "Core",
            "Config",
            "Metrics",
            "Explain",
            "Inference",
            "Model")
        .whereLayer("Model")
        .mayOnlyBeAccessedByLayers(
            "Application",
            "Doors",
            "Protocol",
            "Security",
            "Http",
            "Core",
            "Config",
            "Metrics",
            "Explain",
            "Inference")
        .check(MAIN);
  }

  @Test
  void theCoreKnowsNoProtocol() {
    noClasses()
        .that()
        .resideInAPackage("dev.classifier.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "org.springframework.web..",
            "org.springframework.http..",
            "org.apache.catalina..",
            "org.apache.coyote..",
            "io.grpc..",
            "dev.classifier.oip..",
            "io.swagger..",
            "tools.jackson..",
            "com.fasterxml.jackson..")
        .check(MAIN);
  }

  /** The transport hands the core its client and logs what came back; it calls no service. */
  @Test
  void theTransportUsesOnlyTheCoresClientAndResultTypes() {
    classes()
        .that()
        .resideInAPackage("dev.classifier.http..")
        .should()
        .onlyDependOnClassesThat(
            not(resideInAPackage("dev.classifier.core.."))
                .or(belongToAnyOf(Client.class, Classification.class)))
        .check(MAIN);
  }

  @Test
  void theDoorsDoNotKnowEachOther() {
    slices()
        .matching("dev.classifier.(rest.*|grpc)..")
        .should()
        .notDependOnEachOther()
        .allowEmptyShould(true)
        .check(MAIN);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.classifier.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
