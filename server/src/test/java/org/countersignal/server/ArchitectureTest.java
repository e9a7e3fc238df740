package org.countersignal.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph. Each package of the server is a slice, and no two slices may reach each
 * other in a circle: a package that both uses and is used by another cannot be understood, tested
 * or changed alone.
 *
 * <p>The root package is not a slice. It holds the assembly ({@link CountersignalServer}, which
 * uses every package by design) and the few types every package shares ({@link RequestException},
 * {@link TextFields}, {@link ContentTypes}, {@link StoredWord}, {@link HtmlTemplates}); those may use nothing below the root, so depending on them can never
 * close a circle. The libraries (signals, index) know nothing of the server.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.countersignal.server", "org.countersignal.signals", "org.countersignal.index");
  }

  @Test
  void serverPackagesAreFreeOfCycles() {
    slices().matching("org.countersignal.server.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void sharedRootTypesUseNoServerPackage() {
    noClasses().that().resideInAPackage("org.countersignal.server")
        .and().haveNameNotMatching("org\\.countersignal\\.server\\.CountersignalServer(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("org.countersignal.server.(*)..")
        .check(classes);
  }

  @Test
  void librariesDoNotUseTheServer() {
    noClasses().that().resideInAnyPackage("org.countersignal.signals..", "org.countersignal.index..")
        .should().dependOnClassesThat().resideInAPackage("org.countersignal.server..")
        .check(classes);
  }
}
